// The dictionary check of the end-to-end tests: every word a user reads must be French.
//
// A rendered text (document.body.innerText) is cut into words (letters only: digits, codes and
// punctuation are not words; elisions and hyphens split), and each word is looked up, lower
// case, in Debian's French word list (package wfrench: /usr/share/dict/french). Words not there
// must be in ALLOWED (acronyms, proper nouns, terms of the trade) or come from the data shown
// (place names, CPTS and establishment names: the `data` words given by the test); the others
// are returned, for the test to print and fail.

import { existsSync, readFileSync } from 'node:fs';

export const DICTIONARY = '/usr/share/dict/french';

// Acronyms and proper nouns the page and the report use, and French terms of the trade the
// word list lacks. Keep it short: a word here is a word no test checks.
export const ALLOWED = new Set([
  // acronyms, proper nouns and names of sources; medical or technical terms the list lacks
  'cpts', 'insee', 'finess', 'apl', 'drees', 'e2sfca', 'epci', 'aci', 'dgos', 'rpps', 'adeli', 'cpam', 'ign',
  'cog', 'admin', 'geojson', 'csv', 'html', 'pdf', 'http', 'wgs84', 'wgs', 'siren', 'ald', 'c2s', 'paca',
  'leaflet', 'odf', 'ssr', 'dnum', 'eurostat', 'demographie', 'sante', 'atih', 'snds', 'france', 'bayeux',
  'hab', 'km²', 'nd', 'max', 'antigrippale', 'pluriprofessionnels', 'équirectangulaire', 'orthoptistes',
  'psychomotriciens', 'podologues', 'ergothérapeutes',
  'bpe', 'ehpad', 'esat', 'had', 'sessad', 'ssiad', 'médico', 'pluriprofessionnelle', 'centroïde',
  // the three cities divided into arrondissements, named in the methods
  'paris', 'lyon', 'marseille',
  // sources and terms of the national indicators (F-EDI, Filosofi, Odissé, RP, BPE specialties)
  'edi', 'filosofi', 'odissé', 'etalab', 'rp', 'mayotte', 'normandie', 'orl', 'gastro', 'oto',
  'entérologues', 'pneumologues', 'défavorisation',
  // the index's own name (French European Deprivation Index) and the repository it was taken from
  'french', 'european', 'deprivation', 'linalek', 'hackathon',
]);

let words = null;

/** The French word list, lower case; an error naming the package when it is missing. */
export function frenchWords() {
  if (words) return words;
  if (!existsSync(DICTIONARY)) throw new Error(`${DICTIONARY} is missing: apt-get install wfrench (scripts/setup.sh)`);
  words = new Set(readFileSync(DICTIONARY, 'utf8').split('\n').map((w) => w.trim().toLowerCase()).filter(Boolean));
  return words;
}

const ELISIONS = /^(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)[’']/i;

/** The words of a text: letters (accents included), split at spaces, hyphens and elisions. */
export function wordsOf(text) {
  const found = [];
  for (const raw of text.split(/[^\p{L}’'\d²-]+/u)) {
    if (!raw || /\d/.test(raw)) continue; // codes, figures, dates
    for (const part of raw.replace(ELISIONS, '').split('-')) {
      const word = part.replace(/^[’']+|[’']+$/g, '').replace(ELISIONS, '');
      if (word.length > 1) found.push(word);
    }
  }
  return found;
}

/** The words of `text` that are neither French nor allowed nor in `data` (words of the data shown). */
export function notFrench(text, data = new Set()) {
  const dictionary = frenchWords();
  const unknown = new Set();
  for (const word of wordsOf(text)) {
    const lower = word.toLowerCase().replace(/’/g, "'");
    if (dictionary.has(lower) || ALLOWED.has(lower) || data.has(lower)) continue;
    unknown.add(word);
  }
  return [...unknown].sort();
}

/** The words of data values (names of places, CPTS, establishments), lower case, for `notFrench`. */
export function dataWords(...values) {
  const set = new Set();
  for (const value of values.flat(Infinity)) {
    if (typeof value === 'string') for (const word of wordsOf(value)) set.add(word.toLowerCase());
  }
  return set;
}
