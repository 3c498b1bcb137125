// The diagnosis' `warnings` are English sentences of known shapes (src/engine/resolve.rs,
// src/engine/drawn.rs, src/diagnosis/contiguity.rs): each shape gets a French sentence. The
// non-contiguity warning is left out (the page and the report word the server's `contiguity`
// themselves); a warning of an unknown shape is shown as a French placeholder, the server's
// words in its tooltip. Shared by the panel and the report.

const SHAPES = [
  [/^(\S+) is listed more than once: counted once$/, (m) => `${m[1]} figure plusieurs fois : compté une seule fois.`],
  [/^(\S+) is a former commune, now part of (\S+) \((.+)\): counted as \S+$/,
    (m) => `${m[1]} est une ancienne commune, rattachée à ${m[3]} (${m[2]}) : comptée comme ${m[2]}.`],
  [/^(\S+) \((.+)\) has no legal population published$/, (m) => `${m[2]} (${m[1]}) n’a pas de population légale publiée.`],
  [/^(\S+) \((.+)\) has no polygon: its area is not counted$/, (m) => `${m[2]} (${m[1]}) n’a pas de contour : sa surface n’est pas comptée.`],
  [/^(\S+) \((.+)\) is an arrondissement municipal without polygon .*: its area is not counted$/,
    (m) => `${m[2]} (${m[1]}) est un arrondissement municipal sans contour (seuls ceux de Lyon sont dessinés, `
      + 'd’après leurs IRIS) : sa surface n’est pas comptée.'],
  [/^(\S+) \((.+)\): (.+) has no legal population published$/, (m) => `${m[2]} (${m[1]}) : ${m[3]} n’a pas de population légale publiée.`],
  [/^(\S+) \((.+)\) is known from a population file only, without outline: its area is not counted$/,
    (m) => `${m[2]} (${m[1]}) n’est connu que par un fichier de populations, sans contour : sa surface n’est pas comptée.`],
  [/^polygon (\d+) was invalid .*repaired with the odd-even rule$/,
    (m) => `Le polygone ${Number(m[1]) + 1} était invalide (il se recoupait) : il a été réparé (règle pair-impair).`],
  [/^overlapping polygons were merged into their union$/, () => 'Des polygones qui se chevauchaient ont été fusionnés.'],
  [/^polygon (\d+), ring (\d+) was not closed; it was closed$/,
    (m) => `Le contour ${Number(m[2]) + 1} du polygone ${Number(m[1]) + 1} n’était pas fermé : il a été fermé.`],
];

/** `{ text, original }` for each warning to show (original: the server's words, for a tooltip). */
export function warningsFr(diagnosis) {
  const shown = [];
  for (const warning of diagnosis?.warnings ?? []) {
    if (/^not_contiguous:/.test(warning)) continue;
    const shape = SHAPES.find(([pattern]) => pattern.test(warning));
    shown.push(shape
      ? { text: shape[1](shape[0].exec(warning)), original: warning }
      : { text: 'Avertissement du serveur (détail dans l’info-bulle).', original: warning });
  }
  return shown;
}
