// The report's "Âges, évolution de la population et fragilité": the RP 2020 age bands (chart and
// table against the département(s), région(s) and France), the RP 2022 share of 75+, the change
// 2014-2020, F-EDI and the poverty rate, each with its source; communes without value named.

import { el } from '../dom.js';
import { formatCount } from '../format.js';
import { figureValue, missingFr, percentFr } from '../population.js';
import { comparisonChart } from './charts.js';

const cell = (text) => el('td', { className: 'num' }, text);

function missing(figure) {
  if (!(figure?.communes_without_value > 0)) return null;
  return el('p', { className: 'note without-value' },
    `Laissées de côté faute de valeur : ${figure.communes_without_value} commune(s), ${formatCount(Math.round(figure.population_without_value))} hab. `
    + `(${(figure.without_value ?? []).slice(0, 8).map((m) => m.name || m.code).join(', ')}) — ${missingFr(figure.without_value?.[0]?.reason)}.`);
}

function ageBlock(ages) {
  const block = el('div', { id: 'report-census-ages' }, el('h3', {}, 'Structure par âge (recensement 2020)'));
  if (!ages?.available) {
    block.append(el('p', {}, el('span', { className: 'unavailable-tag' }, 'non disponible'), ` ${missingFr(ages?.reason)}`));
    return block;
  }
  const areas = ages.groups[0]?.comparisons ?? [];
  const value = (c) => (c?.available ? c.value : null);
  const series = ['Territoire', ...areas.map((a) => a.name)];
  block.append(...[
    el('figure', { id: 'census-ages-chart' },
      comparisonChart(ages.groups.map((g) => ({ label: g.label_fr, values: [g.share, ...g.comparisons.map(value)] })), {
        series, format: percentFr, title: 'Parts des classes d’âge : territoire, département(s), région(s), France',
      }),
      el('figcaption', {}, `Part de chaque classe d’âge, barres dans l’ordre : ${series.join(', ')}.`)),
    el('table', { id: 'census-ages-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Classe d’âge'), el('th', { scope: 'col', className: 'num' }, 'Effectif'),
        el('th', { scope: 'col', className: 'num' }, 'Territoire'), ...areas.map((a) => el('th', { scope: 'col', className: 'num' }, a.name)))),
      el('tbody', {}, ...ages.groups.map((g) => el('tr', { dataset: { group: g.group } }, el('th', { scope: 'row' }, g.label_fr),
        cell(`${ages.estimated ? '≈ ' : ''}${formatCount(Math.round(g.count))}`), cell(percentFr(g.share)),
        ...g.comparisons.map((c) => cell(c.available ? percentFr(c.value) : 'n.d.')))))),
    el('p', { className: 'note' }, `Effectifs = part × population municipale 2020 de chaque commune (${formatCount(Math.round(ages.population_2020))} hab.)`
      + `${ages.estimated ? ' ; communes en partie incluses au prorata de leur population comptée : estimation' : ''}.`),
    missing(ages),
    el('p', { className: 'source' }, `Source : ${ages.source}, millésime ${ages.vintage}, ${ages.licence}`)].filter(Boolean));
  return block;
}

function figureRow(label, figure) {
  if (!figure?.available) {
    return el('tr', {}, el('th', { scope: 'row' }, label), el('td', { colSpan: 3 }, el('span', { className: 'unavailable-tag' }, 'non disponible'), ` ${missingFr(figure?.reason)}`));
  }
  return el('tr', {}, el('th', { scope: 'row' }, label),
    cell(`${figureValue(figure)}${figure.estimated ? ' (estimation)' : ''}`),
    el('td', {}, (figure.comparisons ?? []).map((c) => `${c.name} ${c.available ? figureValue(figure, c.value) : 'n.d.'}`).join(' · ')),
    el('td', { className: 'note' }, `${figure.source}, ${figure.vintage}`));
}

/** The block of the report's health section. */
export function populationReportBlock(diagnosis) {
  const ages = diagnosis.age_structure;
  const fragility = diagnosis.fragility ?? {};
  const figures = [
    ['Part des 75 ans et plus (recensement 2022)', ages?.share_75_plus_2022],
    ['Évolution annuelle moyenne de la population 2014-2020', diagnosis.population_change],
    ['Indice de défavorisation F-EDI (plus élevé = plus défavorisé)', fragility.fedi],
    ['Taux de pauvreté (Filosofi)', fragility.poverty_rate],
  ];
  return el('div', { id: 'report-population' },
    ageBlock(ages),
    el('h3', {}, 'Évolution de la population et fragilité'),
    el('table', { id: 'population-figures-table' },
      el('thead', {}, el('tr', {}, ...['Indicateur', 'Territoire', 'Comparaisons', 'Source'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...figures.map(([label, figure]) => figureRow(label, figure)))),
    ...figures.map(([, figure]) => missing(figure)),
    el('p', { className: 'note' }, 'F-EDI et taux de pauvreté : indicateurs de contexte sur la population des communes, pondérés par leur population '
      + 'légale ; ce ne sont pas des nombres de patients (ALD, C2S : seule la CPAM les a). Beaucoup de petites communes portent le taux '
      + 'de pauvreté d’une zone plus large (secret statistique) : lecture approchée.'));
}
