// The French départements: their names (the département picker of the coverage layer) and their
// borders on the map, drawn from the communes shown.

const NAMES = {
  '01': 'Ain', '02': 'Aisne', '03': 'Allier', '04': 'Alpes-de-Haute-Provence', '05': 'Hautes-Alpes',
  '06': 'Alpes-Maritimes', '07': 'Ardèche', '08': 'Ardennes', '09': 'Ariège', 10: 'Aube', 11: 'Aude',
  12: 'Aveyron', 13: 'Bouches-du-Rhône', 14: 'Calvados', 15: 'Cantal', 16: 'Charente',
  17: 'Charente-Maritime', 18: 'Cher', 19: 'Corrèze', '2A': 'Corse-du-Sud', '2B': 'Haute-Corse',
  21: 'Côte-d’Or', 22: 'Côtes-d’Armor', 23: 'Creuse', 24: 'Dordogne', 25: 'Doubs', 26: 'Drôme',
  27: 'Eure', 28: 'Eure-et-Loir', 29: 'Finistère', 30: 'Gard', 31: 'Haute-Garonne', 32: 'Gers',
  33: 'Gironde', 34: 'Hérault', 35: 'Ille-et-Vilaine', 36: 'Indre', 37: 'Indre-et-Loire', 38: 'Isère',
  39: 'Jura', 40: 'Landes', 41: 'Loir-et-Cher', 42: 'Loire', 43: 'Haute-Loire', 44: 'Loire-Atlantique',
  45: 'Loiret', 46: 'Lot', 47: 'Lot-et-Garonne', 48: 'Lozère', 49: 'Maine-et-Loire', 50: 'Manche',
  51: 'Marne', 52: 'Haute-Marne', 53: 'Mayenne', 54: 'Meurthe-et-Moselle', 55: 'Meuse', 56: 'Morbihan',
  57: 'Moselle', 58: 'Nièvre', 59: 'Nord', 60: 'Oise', 61: 'Orne', 62: 'Pas-de-Calais',
  63: 'Puy-de-Dôme', 64: 'Pyrénées-Atlantiques', 65: 'Hautes-Pyrénées', 66: 'Pyrénées-Orientales',
  67: 'Bas-Rhin', 68: 'Haut-Rhin', 69: 'Rhône', 70: 'Haute-Saône', 71: 'Saône-et-Loire', 72: 'Sarthe',
  73: 'Savoie', 74: 'Haute-Savoie', 75: 'Paris', 76: 'Seine-Maritime', 77: 'Seine-et-Marne',
  78: 'Yvelines', 79: 'Deux-Sèvres', 80: 'Somme', 81: 'Tarn', 82: 'Tarn-et-Garonne', 83: 'Var',
  84: 'Vaucluse', 85: 'Vendée', 86: 'Vienne', 87: 'Haute-Vienne', 88: 'Vosges', 89: 'Yonne',
  90: 'Territoire de Belfort', 91: 'Essonne', 92: 'Hauts-de-Seine', 93: 'Seine-Saint-Denis',
  94: 'Val-de-Marne', 95: 'Val-d’Oise', 971: 'Guadeloupe', 972: 'Martinique', 973: 'Guyane',
  974: 'La Réunion', 976: 'Mayotte',
};

/** `Bouches-du-Rhône (13)`; the bare code when the name is unknown. */
export const departementLabel = (code) => (NAMES[code] ? `${NAMES[code]} (${code})` : `Département ${code}`);

/** The département of a commune or arrondissement code: `13`, `2A`, `971`. */
export const departementOf = (code) => (code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2));

const BORDER_STYLE = { color: '#344054', weight: 2.2, opacity: 0.8, dashArray: '8 4 2 4', interactive: false };

/**
 * The borders between départements among the communes drawn: the edges that two communes of
 * different départements share (the communes' outlines are simplified with their topology
 * kept: neighbours share their common vertices), as a MultiLineString's lines.
 */
export function departementBorders(features) {
  const edges = new Map(); // unordered vertex pair -> first département seen, or null once crossed
  const lines = [];
  const key = ([x, y]) => `${x},${y}`;
  for (const { geometry, properties: { departement } } of features) {
    const polygons = geometry?.type === 'Polygon' ? [geometry.coordinates]
      : geometry?.type === 'MultiPolygon' ? geometry.coordinates : [];
    for (const ring of polygons.flat()) {
      for (let i = 1; i < ring.length; i += 1) {
        const a = key(ring[i - 1]);
        const b = key(ring[i]);
        const edge = a < b ? `${a};${b}` : `${b};${a}`;
        const seen = edges.get(edge);
        if (seen === undefined) edges.set(edge, departement);
        else if (seen !== null && seen !== departement) {
          lines.push([[ring[i - 1][1], ring[i - 1][0]], [ring[i][1], ring[i][0]]]);
          edges.set(edge, null);
        }
      }
    }
  }
  return lines;
}

/** The layer of the département borders, redrawn from the communes drawn. */
export class DepartementBorders {
  constructor(map) {
    const pane = map.createPane('departement-borders');
    pane.style.zIndex = 388;
    pane.style.pointerEvents = 'none';
    this.layer = L.polyline([], { ...BORDER_STYLE, pane: 'departement-borders', pmIgnore: true }).addTo(map);
  }

  update(features) {
    this.layer.setLatLngs(departementBorders(features));
  }

  get shown() {
    return this.layer.getLatLngs().length > 0;
  }
}
