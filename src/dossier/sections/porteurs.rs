//! The parts of the lettre the porteurs write: its heading (addressee, object, porteurs) and the
//! description of the project; the diagnosis gives them only the territory's name and région.

use crate::dossier::document::{bold, paragraph, text, to_complete, Block, Run, Section};
use crate::dossier::DossierInput;

pub fn heading(input: &DossierInput) -> Section {
    let regions: Vec<&str> = input
        .diagnosis
        .regions
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let mut s = Section::new(format!(
        "Lettre d'intention — projet de CPTS « {} »",
        input.territory_name()
    ));
    s.push(paragraph(vec![
        bold("Destinataire : "),
        text(format!(
            "Madame, Monsieur le Directeur général de l'Agence régionale de santé {} ; copie à la \
             CPAM du territoire.",
            regions.join(" / ")
        )),
    ]));
    s.push(paragraph(vec![
        bold("Objet : "),
        text(
            "lettre d'intention pour la création d'une communauté professionnelle territoriale de \
             santé (art. L1434-12 du code de la santé publique) et demande de subvention au titre \
             du Fonds d'intervention régional (FIR).",
        ),
    ]));
    s.push(paragraph(vec![
        bold("Porteurs du projet : "),
        to_complete(
            "noms, professions et lieux d'exercice des porteurs, structure porteuse (association \
             loi 1901 en cours de création ou créée), coordonnées du contact",
        ),
    ]));
    s.push(paragraph(vec![
        bold("Date : "),
        text(input.date_fr()),
        text(". Document pré-rempli par cpts-atlas à partir du diagnostic territorial ; les "),
        Run::ToComplete("passages surlignés « [À compléter par les porteurs : …] »".into()),
        text(" signalent ce qui reste à rédiger."),
    ]));
    s
}

pub fn project() -> Section {
    let mut s = Section::new("5. Description du projet");
    for what in [
        "l'origine du projet et la dynamique existante (MSP, centres de santé, équipes de soins \
         primaires, exercice coordonné déjà en place)",
        "les objectifs de la CPTS au regard des besoins identifiés ci-dessus",
        "la gouvernance envisagée (bureau, collèges, place des usagers et des partenaires)",
        "le calendrier : rédaction du projet de santé, signature de l'ACI",
    ] {
        s.push(Block::Bullet(vec![to_complete(what)]));
    }
    s
}
