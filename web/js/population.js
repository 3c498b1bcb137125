// "Âges, évolution et fragilité" in the map panel: the RP 2020 age bands as CSS bars against
// the département and France, the RP 2022 share of 75+, the population change 2014-2020, the
// F-EDI index and the poverty rate, each with its source; communes without value are named.

import { el } from './dom.js';
import { formatCount } from './format.js';

const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

/** A share in [0, 1] as `12,3 %`. */
export const percentFr = (share) => `${oneDecimal.format(share * 100)} %`;

/** A weighted figure's value in its unit. */
export function figureValue(figure, value = figure.value) {
  if (figure.unit === 'share') return percentFr(value);
  if (figure.unit === 'percent_per_year') return `${signed.format(value)} % par an`;
  return twoDecimals.format(value);
}

/** The server's reasons for a missing value, in French. */
export function missingFr(reason = '') {
  if (/statistics .* are not loaded/i.test(reason)) return 'statistiques communales non chargées sur ce serveur';
  if (/statistical secret/i.test(reason)) return 'secret statistique (trop peu de ménages) ou hors couverture Filosofi';
  if (/Mayotte|arrondissement|restored/i.test(reason)) return 'non publié pour cette commune (Mayotte, arrondissements de Paris/Lyon/Marseille ou commune rétablie depuis)';
  if (/absent from the file/i.test(reason)) return 'absent de la source pour cette commune';
  return 'donnée indisponible';
}

/** The comparison values of one level (`departement`, `region`, `france`). */
const atLevel = (comparisons, level) => (comparisons ?? []).filter((c) => c.level === level);

/** The series of the chart: the territory, its département(s) (at most two), France. */
function series(structure) {
  const first = structure.groups[0]?.comparisons ?? [];
  const departements = atLevel(first, 'departement');
  return [
    { key: 'territory', name: 'Territoire', pick: (g) => g.share },
    ...(departements.length <= 2 ? departements : []).map((d) => ({
      key: `departement-${d.code}`, name: d.name,
      pick: (g) => g.comparisons.find((c) => c.level === 'departement' && c.code === d.code),
    })),
    { key: 'france', name: 'France', pick: (g) => g.comparisons.find((c) => c.level === 'france') },
  ];
}

const valueOf = (picked) => (typeof picked === 'number' ? picked : picked?.available ? picked.value : null);

/** A bar `percent` % wide (set through the CSSOM: the Content-Security-Policy allows no inline style). */
function bar(className, percent) {
  const node = el('span', { className });
  node.style.width = `${percent.toFixed(1)}%`;
  return node;
}

/** The age bands as horizontal CSS bars: one group per band, one bar per series. */
function ageChart(structure) {
  const lines = series(structure);
  const values = structure.groups.flatMap((g) => lines.map((s) => valueOf(s.pick(g)))).filter(Number.isFinite);
  const max = Math.max(...values, 0.01);
  return el('div', { className: 'age-chart', id: 'age-chart', role: 'img',
    ariaLabel: 'Parts des classes d’âge : territoire, département, France' },
  el('div', { className: 'age-legend' }, ...lines.map((s, i) => el('span', { className: `age-key series-${Math.min(i, 2)}${s.key === 'france' ? ' series-france' : ''}` }, s.name))),
  ...structure.groups.map((g) => el('div', { className: 'age-row', dataset: { group: g.group } },
    el('div', { className: 'age-label' }, g.label_fr, el('span', { className: 'note' }, ` — ${formatCount(Math.round(g.count))} pers.`)),
    ...lines.map((s, i) => {
      const v = valueOf(s.pick(g));
      const cls = `age-bar series-${Math.min(i, 2)}${s.key === 'france' ? ' series-france' : ''}`;
      return el('div', { className: 'age-line', dataset: { series: s.key }, title: `${s.name} : ${Number.isFinite(v) ? percentFr(v) : 'n.d.'}` },
        Number.isFinite(v) ? bar(cls, (v / max) * 70) : null,
        el('span', { className: 'age-value' }, Number.isFinite(v) ? percentFr(v) : 'n.d.'));
    }))));
}

/** `Creuse 11,9 % · Nouvelle-Aquitaine 11,2 % · France 9,5 %`. */
const comparedText = (figure) => (figure.comparisons ?? []).map((c) => `${c.name} ${c.available ? figureValue(figure, c.value) : 'n.d.'}`).join(' · ');

const withoutValue = (id, figure) => (figure.communes_without_value > 0
  ? el('p', { className: 'note without-value', id, title: figure.without_value?.[0]?.reason ?? '' },
    `${figure.communes_without_value} commune${figure.communes_without_value > 1 ? 's' : ''} sans valeur, laissée${figure.communes_without_value > 1 ? 's' : ''} de côté `
    + `(${formatCount(Math.round(figure.population_without_value))} hab.) : `
    + `${(figure.without_value ?? []).slice(0, 5).map((m) => m.name || m.code).join(', ')} — ${missingFr(figure.without_value?.[0]?.reason)}`)
  : null);

/** One line: label, value, comparisons, source. */
function figureLine(id, label, figure) {
  if (!figure?.available) {
    return el('p', { className: 'figure-line', id, dataset: { available: 'false' } },
      `${label} : `, el('span', { className: 'note' }, `non disponible — ${missingFr(figure?.reason)}`));
  }
  return el('div', { className: 'figure-line', id, dataset: { available: 'true' } },
    el('p', {}, `${label} : `, el('strong', {}, figureValue(figure)), figure.estimated ? ' (estimation)' : null,
      el('span', { className: 'note' }, ` — ${comparedText(figure)}`)),
    withoutValue(`${id}-without-value`, figure),
    el('p', { className: 'note source' }, `Source : ${figure.source.split(' : ')[0].split(' (')[0]}, ${figure.vintage}`));
}

/** The detailed bands of a finer source (ARS Normandie 2017, a loaded INSEE file). */
function detailedAges(detailed) {
  if (!detailed?.available) return null;
  return el('details', { className: 'detailed-ages', id: 'detailed-ages' },
    el('summary', {}, `Classes d’âge détaillées (${detailed.vintage})`),
    el('ul', {}, ...detailed.groups.map((g) => el('li', { dataset: { group: g.group } },
      `${g.label_fr} : ${percentFr(g.share)} (${formatCount(Math.round(g.count))})`,
      el('span', { className: 'note' }, ` — ${g.departements.map((d) => `${d.name} ${d.available ? percentFr(d.share) : 'n.d.'}`).join(' · ')}`)))),
    el('p', { className: 'note source' }, `Source : ${detailed.source}, millésime ${detailed.vintage}`));
}

/** The block of the panel; null when the server sends none of these indicators. */
export function populationBlock(diagnosis) {
  const ages = diagnosis.age_structure;
  if (!ages && !diagnosis.fragility) return null;
  const block = el('div', { className: 'health-block', id: 'health-population' },
    el('h4', {}, 'Âges, évolution de la population et fragilité'));
  if (ages?.available) {
    block.append(
      ...[el('p', { className: 'note' }, `Recensement 2020 : ${formatCount(Math.round(ages.population_2020))} habitants${ages.estimated ? ' (estimation : communes en partie incluses au prorata)' : ''}.`),
        ageChart(ages),
        withoutValue('ages-without-value', ages),
        el('p', { className: 'note source', id: 'ages-source' }, `Source : INSEE, recensement de la population 2020 (parts × population 2020), ${ages.licence}`),
        figureLine('share-75-plus-2022', 'Part des 75 ans et plus (recensement 2022)', ages.share_75_plus_2022)].filter(Boolean));
  } else {
    block.append(el('p', { className: 'figure-line', id: 'ages-unavailable' }, 'Âges : ',
      el('span', { className: 'note' }, `non disponible — ${missingFr(ages?.reason)}`)));
  }
  block.append(figureLine('population-change', 'Évolution annuelle moyenne de la population 2014-2020', diagnosis.population_change));
  const fragility = diagnosis.fragility;
  if (fragility) {
    block.append(
      el('p', { className: 'health-subtitle' }, 'Fragilité (indicateurs de contexte, pas des nombres de patients)'),
      figureLine('fedi', 'Indice de défavorisation F-EDI', fragility.fedi),
      figureLine('poverty-rate', 'Taux de pauvreté', fragility.poverty_rate));
  }
  const detailed = detailedAges(diagnosis.detailed_ages);
  if (detailed) block.append(detailed);
  return block;
}
