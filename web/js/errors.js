// French messages for the API's error codes. The API answers `{"error": {"code", "message"}}`
// with an English message meant for developers: the page shows the French message of the code
// and keeps the server's words for the console and the tooltip of the message.

/** The codes and number lists the server names at the end of its message (`...: 99999, 13999`). */
const listed = (message) => {
  const m = /:\s*([0-9AB][0-9AB ,]*)$/.exec(message ?? '');
  return m ? m[1].split(/[\s,]+/).filter(Boolean) : [];
};

const withList = (singular, pluralForm, message, fallback) => {
  const codes = listed(message);
  if (!codes.length) return fallback;
  return `${codes.length > 1 ? pluralForm : singular} : ${codes.join(', ')}.`;
};

const MESSAGES = {
  unknown_codes: (m) => `${withList('Code inconnu', 'Codes inconnus', m, 'Code inconnu.')} Vérifiez les codes INSEE `
    + '(communes, arrondissements ou IRIS) : ce serveur ne les connaît pas.',
  unknown_epci: (m) => `${withList('EPCI inconnu', 'EPCI inconnus', m, 'EPCI inconnu.')} Vérifiez son code SIREN.`,
  empty_territory: () => 'Le territoire est vide : ajoutez au moins une commune.',
  missing_territory: () => 'Aucun territoire n’a été transmis : sélectionnez des communes ou dessinez un périmètre.',
  ambiguous_territory: () => 'Le territoire est donné de plusieurs façons à la fois : gardez une seule liste ou un seul périmètre.',
  double_counted: () => 'Une commune et ses arrondissements ou ses IRIS sont comptés deux fois : gardez l’un ou l’autre.',
  outside_geography: () => 'Le périmètre ne recouvre aucune commune connue de ce serveur.',
  too_complex: () => 'Le périmètre est trop complexe : simplifiez son tracé.',
  too_many_vertices: () => 'Le périmètre a trop de sommets : simplifiez son tracé.',
  too_many_codes: () => 'Trop de codes à la fois : découpez la liste.',
  too_many_features: () => 'Trop d’objets dans le fichier : découpez-le.',
  unsupported_geometry: () => 'Ce type de géométrie n’est pas accepté : dessinez un polygone.',
  empty_geometry: () => 'Le périmètre est vide.',
  invalid_geometry: () => 'Le périmètre n’est pas un polygone valide : corrigez son tracé.',
  invalid_geojson: () => 'Le fichier GeoJSON est illisible.',
  invalid_json: () => 'La requête envoyée est illisible.',
  invalid_body: () => 'La requête envoyée est incomplète ou mal formée.',
  invalid_query: () => 'Les paramètres de la requête sont incorrects.',
  invalid_bbox: () => 'L’emprise de la carte est incorrecte.',
  invalid_format: () => 'Ce format d’export n’est pas proposé.',
  invalid_rules: () => 'Les populations demandées sont incohérentes : il faut un minimum positif, au plus égal à la '
    + 'population visée, elle-même au plus égale au maximum.',
  invalid_scope: () => 'Ce département est inconnu : indiquez son code (04, 13, 2A…).',
  invalid_territory: () => 'Le serveur refuse ce territoire.',
  unknown_mission: () => 'Une mission demandée est inconnue de la grille de financement.',
  unknown_edition: () => 'Cette édition de l’APL n’est pas chargée.',
  no_health_data: () => 'Aucune donnée de santé n’est chargée sur ce serveur.',
  registry_not_covering: () => 'Aucun registre de CPTS existantes chargé ne couvre ce département : '
    + 'impossible de dire quelles communes sont sans CPTS. Chargez le registre de sa région.',
  invalid_contract_date: () => 'La date de signature du contrat est illisible : indiquez-la au format jj/mm/aaaa.',
  contract_date_before_grids: () => 'Aucune grille de financement ACI ne s’applique à une signature aussi ancienne.',
  unknown_grid: () => 'Cette grille de financement n’est pas chargée sur ce serveur.',
  ambiguous_grid: () => 'Indiquez la grille de financement ou la date de signature du contrat, pas les deux.',
  not_found: () => 'Introuvable : cet élément n’existe pas ou plus.',
  not_acceptable: () => 'Le serveur ne sait pas répondre dans ce format.',
  body_too_large: () => 'La requête est trop volumineuse.',
  unauthorized: () => 'Jeton d’écriture manquant ou incorrect : saisissez le jeton fourni par l’administrateur du serveur.',
  writes_disabled: () => 'L’enregistrement est désactivé sur ce serveur : aucun jeton d’écriture n’y est configuré.',
  store_unavailable: () => 'La base des territoires enregistrés est indisponible.',
  bad_request: () => 'La requête envoyée est incorrecte.',
  invalid_path: () => 'L’adresse demandée est incorrecte.',
  headers_too_large: () => 'La requête est trop volumineuse.',
  uri_too_long: () => 'L’adresse de la requête est trop longue : réduisez le territoire ou passez par l’import de codes.',
  unsupported_media_type: () => 'Le serveur n’accepte pas ce type de contenu.',
  method_not_allowed: () => 'Cette opération n’est pas permise à cette adresse.',
  range_not_satisfiable: () => 'La partie demandée du fichier n’existe pas.',
  timeout: () => 'Le serveur a mis trop de temps à répondre : réessayez, ou réduisez le territoire.',
  unavailable: () => 'Le serveur est momentanément surchargé : réessayez dans un instant.',
  internal: () => 'Erreur interne du serveur : réessayez, puis prévenez son administrateur.',
};

/** The French message of an API error code; `status` words the codes this page does not know. */
export function frenchMessage(code, serverMessage, status) {
  const known = MESSAGES[code];
  if (known) return known(serverMessage);
  if (status >= 500) return `Le serveur a rencontré une erreur (HTTP ${status}) : réessayez plus tard.`;
  return `Le serveur refuse la demande (HTTP ${status}).`;
}
