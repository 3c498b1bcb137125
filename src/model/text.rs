//! The one accent fold of the project: names compared without case or diacritics.

/// Lower-case ASCII transliteration of a French label, punctuation kept
/// (`Médecine Générale` -> `medecine generale`, `Cœur` -> `coeur`), by the maintained
/// `deunicode` tables rather than a hand list of letters.
///
/// ```
/// use cpts_atlas::model::fold;
/// assert_eq!(fold("Médecine Générale"), "medecine generale");
/// assert_eq!(fold("CPTS Cœur du Var"), "cpts coeur du var");
/// assert_eq!(fold("L'Haÿ-les-Roses"), "l'hay-les-roses");
/// ```
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_ascii_lowercase()
}
