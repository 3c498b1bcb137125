// The registry of existing CPTS on the map: three optional layers, listed in a panel at the top
// right of the map and fetched the first time they are turned on.
//
//   - "CPTS existantes (PACA 2026)": the outline of every registry CPTS (/api/cpts);
//   - "Chevauchements entre CPTS": the communes shared by two registry CPTS (/api/overlaps),
//     conflicts, minor contacts and declared splits styled apart;
//   - "Communes non couvertes": the communes of one département that no CPTS covers
//     (/api/coverage), for the département of the view or the one picked in the list.
//
// Zoomed out, the layers take the pointer (tooltips, popups). Zoomed in, the communes base layer
// underneath must keep its clicks (selection): only the outlines catch the pointer then (see
// style.css), and the communes' tooltips tell which CPTS they belong to (communeNotes).
//
// Each row has a stable id and says what it does in data-state (off, loading, ready, error,
// hint, out-of-scope) and data-count (features drawn), for the page and for the tests.

import { api } from './api.js';
import { statusLabel } from './coverage.js';
import { departementLabel, departementOf } from './departements.js';
import { el } from './dom.js';
import { formatArea, formatInhabitants, plural } from './format.js';
import { clearOfPanels } from './map-fit.js';

const CPTS_STYLE = { color: '#0e7c6b', weight: 2, fillColor: '#0e7c6b', fillOpacity: 0.06 };
const APPROXIMATE_STYLE = { ...CPTS_STYLE, dashArray: '6 5', fillOpacity: 0.03 };
const CPTS_HOVER = { weight: 4, fillOpacity: 0.16 };
const PAIR_STYLES = {
  conflict: { color: '#b42318', weight: 2, fillColor: '#d92d20', fillOpacity: 0.4 },
  sliver: { color: '#b54708', weight: 1.5, fillColor: '#f79009', fillOpacity: 0.35 },
  declared_split: { color: '#344054', weight: 1.5, dashArray: '5 4', fillColor: '#98a2b3', fillOpacity: 0.35 },
};
const COVERAGE_STYLES = {
  uncovered: { color: '#5925dc', weight: 1, fillColor: '#7a5af8', fillOpacity: 0.45 },
  partly_covered: { color: '#5925dc', weight: 1, dashArray: '3 3', fillColor: '#bdb4fe', fillOpacity: 0.35 },
};
export const PAIR_KINDS = {
  conflict: 'Conflit',
  sliver: 'Contact mineur',
  declared_split: 'Partage déclaré',
};
// The arrondissements of Paris, Lyon and Marseille, which the registry lists instead of the commune.
const ARRONDISSEMENT = /^(751(0[1-9]|1\d|20)|6938[1-9]|132(0[1-9]|1[0-6]))$/;

const siteUrl = (site) => (/^https?:\/\//i.test(site) ? site : `https://${site}`);
const sizeText = ({ population, tier }) => `${formatInhabitants(population)} · ${tier.label}`;

function boundsOfFeatures(layer) {
  const bounds = layer.getBounds();
  return bounds.isValid() ? bounds : null;
}

export class RegistryLayers {
  /**
   * @param {L.Map} map
   * @param {object} options
   * @param {() => string|null} options.viewDepartement  the département at the centre of the view, if known
   * @param {(error: Error) => void} options.onError
   */
  constructor(map, { viewDepartement, onError }) {
    this.map = map;
    this.viewDepartement = viewDepartement;
    this.onError = onError;
    this.registry = null; // promise of the /api/cpts collection, once asked for
    this.cpts = new Map(); // id -> properties
    this.cptsByCommune = new Map(); // commune code -> [properties]
    this.scope = new Set(); // départements where the registry lists CPTS
    this.coverage = new Map(); // département -> promise of its /api/coverage collection
    this.coverageShown = null; // { departement, byCode, count, summary } of the coverage layer

    for (const [name, zIndex] of [['registry-coverage', 355], ['registry-cpts', 360], ['registry-overlaps', 365]]) {
      const pane = map.createPane(name);
      pane.style.zIndex = zIndex;
      pane.classList.add('registry-pane');
    }
    this.cptsLayer = L.geoJSON(null, {
      pane: 'registry-cpts',
      pmIgnore: true,
      attribution: 'CPTS existantes : ARS Provence-Alpes-Côte d’Azur (01/2026)',
      style: ({ properties }) => ({
        ...(properties.approximate.length ? APPROXIMATE_STYLE : CPTS_STYLE),
        // CPTS drawn on the same outline fill it once, not once each.
        ...(properties.outlineRank > 0 ? { fillOpacity: 0 } : {}),
        className: 'cpts-outline',
      }),
      onEachFeature: (feature, layer) => this.#bindCpts(feature, layer),
    });
    this.overlapsLayer = L.geoJSON(null, {
      pane: 'registry-overlaps',
      pmIgnore: true,
      style: ({ properties }) => ({ ...PAIR_STYLES[properties.kind], className: `cpts-pair cpts-pair-${properties.kind}` }),
      onEachFeature: (feature, layer) => layer.bindTooltip(
        () => this.#pairsTooltip(feature.properties.pairs), { sticky: true, direction: 'top' }),
    });
    this.coverageLayer = L.geoJSON(null, {
      pane: 'registry-coverage',
      pmIgnore: true,
      style: ({ properties }) => ({ ...COVERAGE_STYLES[properties.status], className: `coverage-${properties.status}` }),
      onEachFeature: (feature, layer) => layer.bindTooltip(
        () => this.#coverageTooltip(feature.properties), { sticky: true, direction: 'top' }),
    });

    this.rows = {
      cpts: this.#row('cpts', {
        label: 'CPTS existantes (PACA 2026)', swatch: 'swatch-cpts', layer: this.cptsLayer, load: () => this.#loadCpts(),
      }),
      overlaps: this.#row('overlaps', {
        label: 'Chevauchements entre CPTS',
        swatch: 'swatch-pair',
        layer: this.overlapsLayer,
        load: () => this.#loadOverlaps(),
        legend: Object.entries(PAIR_KINDS).map(([kind, label]) => [`swatch-${kind}`, label.toLowerCase()]),
      }),
      coverage: this.#row('coverage', {
        label: 'Communes non couvertes',
        swatch: 'swatch-uncovered',
        layer: this.coverageLayer,
        load: () => this.#loadCoverage(),
        legend: [['swatch-uncovered', 'aucune CPTS'], ['swatch-partly_covered', 'en partie']],
      }),
    };

    this.departementSelect = el('select', { id: 'coverage-departement', disabled: true },
      el('option', { value: '' }, 'Département de la vue'));
    this.departementSelect.addEventListener('change', () => this.#loadCoverage({ fly: true }));
    this.rows.coverage.node.insertBefore(el('div', { className: 'layer-option' },
      el('label', { htmlFor: 'coverage-departement' }, 'Département'), this.departementSelect),
    this.rows.coverage.status);

    const control = L.control({ position: 'topright' });
    control.onAdd = () => {
      // Folded at first: open, it would hide part of the map.
      const node = el('details', { id: 'layers', className: 'layers-control leaflet-bar', open: false },
        el('summary', {}, 'Couches de la carte'),
        el('p', { className: 'layers-group' }, 'Registre des CPTS'),
        ...Object.values(this.rows).map((row) => row.node),
        el('p', { className: 'layers-source' }, 'Source : ARS PACA, CPTS existantes au 01/2026'));
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      this.panel = node;
      return node;
    };
    control.addTo(map);
    let wide = map.getSize().x >= 700;
    map.on('resize', () => {
      if (wide && map.getSize().x < 700) this.panel.open = false;
      wide = map.getSize().x >= 700;
    });
  }

  /** To call when the communes in view changed: the coverage layer follows the view's département. */
  viewChanged() {
    if (this.rows.coverage.toggle.checked && this.departementSelect.value === '') this.#loadCoverage();
  }

  /**
   * What the registry layers shown know about a commune, for its tooltip: the CPTS it belongs to
   * (CPTS layer on) and whether a CPTS covers it (coverage layer on).
   */
  communeNotes(code) {
    const notes = [];
    if (this.rows.cpts.toggle.checked && this.cpts.size) {
      const members = this.cptsByCommune.get(code) ?? [];
      if (members.length) {
        notes.push(members.length === 1
          ? el('div', { className: 'tooltip-cpts' }, `CPTS existante : ${members[0].name}`,
            el('div', { className: 'note' }, sizeText(members[0])))
          : el('div', { className: 'tooltip-cpts' }, `${members.length} CPTS existantes :`,
            el('ul', {}, ...members.map((p) => el('li', {}, `${p.name} (${sizeText(p)})`)))));
      } else if (this.scope.has(departementOf(code))) {
        notes.push(el('div', { className: 'tooltip-cpts none' }, 'Aucune CPTS existante'));
      }
    }
    const coverage = this.rows.coverage.toggle.checked ? this.coverageShown?.byCode.get(code) : null;
    if (coverage) notes.push(el('div', { className: 'tooltip-coverage-status' }, this.#coverageText(coverage)));
    return notes;
  }

  // ---- rows of the panel

  #row(id, { label, swatch, layer, load, legend = [] }) {
    const toggle = el('input', { type: 'checkbox', id: `layer-${id}-toggle` });
    const status = el('p', { className: 'layer-status', id: `layer-${id}-status`, ariaLive: 'polite' });
    const node = el('div', { className: 'layer-row', id: `layer-${id}`, dataset: { state: 'off', count: '0' } },
      el('label', { className: 'layer-name' }, toggle, el('span', { className: `swatch ${swatch}`, ariaHidden: 'true' }), label),
      legend.length ? el('p', { className: 'layer-legend' }, ...legend.map(([className, text]) =>
        el('span', {}, el('span', { className: `swatch ${className}`, ariaHidden: 'true' }), text))) : null,
      status);
    const row = { node, toggle, status, layer };
    toggle.addEventListener('change', async () => {
      if (!toggle.checked) {
        this.map.removeLayer(row.layer);
        this.#setState(row, 'off', row.node.dataset.count);
        if (id === 'coverage') this.departementSelect.disabled = true;
        return;
      }
      if (id === 'coverage') this.departementSelect.disabled = false;
      row.layer.addTo(this.map);
      await load();
    });
    return row;
  }

  /** Fitting options that keep what is shown clear of this panel and of the legend, when open. */
  #clearOfPanel() {
    return clearOfPanels(this.map);
  }

  #setState(row, state, count, text) {
    row.node.dataset.state = state;
    row.node.dataset.count = String(count);
    if (text !== undefined) row.status.textContent = text;
  }

  /** Runs a layer's fetch; on failure, the row says so and the layer is turned off. */
  async #guard(row, work) {
    this.#setState(row, 'loading', 0, 'Chargement…');
    try {
      await work();
      // Turned off while it loaded: what was fetched is kept for next time.
      if (!row.toggle.checked) this.#setState(row, 'off', row.node.dataset.count);
    } catch (error) {
      row.toggle.checked = false;
      this.map.removeLayer(row.layer);
      this.#setState(row, 'error', 0, 'Couche indisponible');
      this.onError(error);
    }
  }

  // ---- the registry itself (shared by the three layers)

  #loadRegistry() {
    this.registry ??= api.cpts().then((collection) => {
      for (const { properties } of collection.features) {
        this.cpts.set(properties.id, properties);
        for (const code of new Set([...properties.members, ...properties.approximate])) {
          if (!this.cptsByCommune.has(code)) this.cptsByCommune.set(code, []);
          this.cptsByCommune.get(code).push(properties);
          this.scope.add(departementOf(code));
        }
      }
      this.departementSelect.append(...[...this.scope].sort().map((code) =>
        el('option', { value: code }, departementLabel(code))));
      return collection;
    }).catch((error) => {
      this.registry = null; // a later attempt fetches again
      throw error;
    });
    return this.registry;
  }

  // ---- CPTS layer

  async #loadCpts() {
    const row = this.rows.cpts;
    await this.#guard(row, async () => {
      const collection = await this.#loadRegistry();
      if (!this.cptsLayer.getLayers().length) {
        // CPTS drawn on the same outline (the arrondissements of Marseille are drawn as the whole
        // commune) share their tooltip and popup, since only the top one can be pointed at.
        this.cptsLayer.sharing = new Map();
        for (const feature of collection.features) {
          const key = JSON.stringify(feature.geometry);
          if (!this.cptsLayer.sharing.has(key)) this.cptsLayer.sharing.set(key, []);
          feature.properties.outlineKey = key;
          feature.properties.outlineRank = this.cptsLayer.sharing.get(key).push(feature.properties) - 1;
        }
        this.cptsLayer.addData(collection);
      }
      const approximate = collection.features.filter((f) => f.properties.approximate.length).length;
      this.#setState(row, 'ready', this.cptsLayer.getLayers().length, !collection.features.length
        ? 'Aucune CPTS : ce serveur ne charge pas de registre.'
        : `${plural(collection.features.length, 'CPTS', 'CPTS')}${approximate
          ? ` · ${plural(approximate, 'contour approximatif', 'contours approximatifs')} (en pointillés)` : ''}`);
      const bounds = boundsOfFeatures(this.cptsLayer);
      if (bounds && !this.map.getBounds().intersects(bounds)) this.map.flyToBounds(bounds, this.#clearOfPanel());
    });
  }

  #bindCpts(feature, layer) {
    const sharing = () => this.cptsLayer.sharing.get(feature.properties.outlineKey);
    layer.bindTooltip(() => this.#cptsTooltip(sharing()), { sticky: true, direction: 'top' });
    layer.bindPopup(() => el('div', { className: 'cpts-popup' }, ...sharing().map((p) => this.#cptsCard(p))),
      { maxWidth: 320, maxHeight: 360 });
    layer.on({
      add: () => layer.getElement()?.setAttribute('data-cpts', feature.properties.id),
      popupopen: () => layer.closeTooltip(),
      mouseover: () => layer.setStyle(CPTS_HOVER),
      mouseout: () => this.cptsLayer.resetStyle(layer),
    });
  }

  #cptsTooltip(sharing) {
    if (sharing.length === 1) {
      const [p] = sharing;
      return el('div', { className: 'cpts-tooltip' }, el('strong', {}, p.name), el('br'), sizeText(p),
        statusLabel(p.status) ? el('div', {}, `Statut : ${statusLabel(p.status)}`) : null,
        p.approximate.length ? el('div', { className: 'note' }, 'Contour approximatif') : null);
    }
    return el('div', { className: 'cpts-tooltip' },
      el('strong', {}, `${sharing.length} CPTS sur ce contour approximatif`),
      el('ul', {}, ...sharing.map((p) => el('li', {}, `${p.name} — ${sizeText(p)}`))));
  }

  #cptsCard(p) {
    const arrondissements = p.members.filter((code) => ARRONDISSEMENT.test(code)).length;
    const communes = p.members.length - arrondissements;
    const members = [
      communes ? plural(communes, 'commune membre', 'communes membres') : null,
      arrondissements ? plural(arrondissements, 'arrondissement membre', 'arrondissements membres') : null,
    ].filter(Boolean).join(' et ');
    const approximate = p.approximate.map((code) => this.#communeName(code)).join(', ');
    return el('section', { className: 'cpts-card', dataset: { id: p.id } },
      el('h3', {}, p.name),
      statusLabel(p.status) ? el('p', { className: 'cpts-status' }, `Statut : ${statusLabel(p.status)}`) : null,
      el('p', {}, sizeText(p)),
      el('p', {}, members),
      p.area_complete ? el('p', {}, formatArea(p.area_km2)) : null,
      p.population_in_split_communes > 0
        ? el('p', { className: 'note' }, `dont ${formatInhabitants(p.population_in_split_communes)} dans des communes partagées`)
        : null,
      p.site
        ? el('p', {}, 'Site : ', el('a', { href: siteUrl(p.site), target: '_blank', rel: 'noopener noreferrer' }, p.site))
        : el('p', { className: 'note' }, 'Pas de site connu'),
      approximate
        ? el('p', { className: 'note' }, `Contour approximatif : ${approximate} y figure en entier, `
          + 'alors que la CPTS n’en couvre qu’une partie.')
        : null,
      ...p.notes.map((note) => el('p', { className: 'note' }, note)));
  }

  /** `Nice (06088)` when the coverage data shown knows the commune, else `la commune 06088`. */
  #communeName(code) {
    const name = this.coverageShown?.byCode.get(code)?.name;
    return name ? `${name} (${code})` : `la commune ${code}`;
  }

  // ---- overlaps layer

  async #loadOverlaps() {
    const row = this.rows.overlaps;
    await this.#guard(row, async () => {
      if (!this.overlapsLayer.getLayers().length) {
        const collection = await api.overlaps();
        // Pairs over the same communes (Nice is split between three CPTS) make one shape.
        const shapes = new Map();
        for (const { geometry, properties } of collection.features) {
          if (!geometry) continue;
          const codes = [...properties.shared_communes, ...properties.declared_splits].map((c) => c.code).sort();
          const key = codes.join(',');
          if (!shapes.has(key)) {
            shapes.set(key, { type: 'Feature', geometry, properties: { kind: properties.kind, pairs: [] } });
          }
          const shape = shapes.get(key);
          shape.properties.pairs.push(properties);
          // The most serious kind styles the shape.
          if (Object.keys(PAIR_KINDS).indexOf(properties.kind) < Object.keys(PAIR_KINDS).indexOf(shape.properties.kind)) {
            shape.properties.kind = properties.kind;
          }
        }
        this.overlapsLayer.pairs = collection.features.map((f) => f.properties);
        this.overlapsLayer.addData({ type: 'FeatureCollection', features: [...shapes.values()] });
      }
      const { pairs } = this.overlapsLayer;
      const byKind = Object.keys(PAIR_KINDS).map((kind) => [kind, pairs.filter((p) => p.kind === kind).length]);
      const details = [
        plural(byKind[0][1], 'conflit'),
        plural(byKind[1][1], 'contact mineur', 'contacts mineurs'),
        plural(byKind[2][1], 'partage déclaré', 'partages déclarés'),
      ].join(', ');
      this.#setState(row, 'ready', pairs.length, pairs.length
        ? `${plural(pairs.length, 'paire de CPTS', 'paires de CPTS')} : ${details}`
        : 'Aucun chevauchement entre les CPTS du registre');
    });
  }

  #pairsTooltip(pairs) {
    return el('div', { className: 'pair-tooltip' }, ...pairs.map((p) => {
      const communes = [...p.shared_communes, ...p.declared_splits].map((c) => c.name).join(', ');
      const figures = p.kind === 'declared_split'
        ? `${communes} : commune partagée, chaque CPTS en déclare une partie`
        : `${communes} · ${formatInhabitants(p.population)} · ${formatArea(p.area_km2)}`;
      return el('div', { className: `pair pair-${p.kind}` },
        el('strong', {}, `${PAIR_KINDS[p.kind]} : `), `${p.first.name} / ${p.second.name}`, el('br'), figures);
    }));
  }

  // ---- coverage layer

  async #loadCoverage({ fly = false } = {}) {
    const row = this.rows.coverage;
    if (!row.toggle.checked) return;
    await this.#guard(row, async () => {
      await this.#loadRegistry();
      const departement = this.departementSelect.value || this.viewDepartement() || this.coverageShown?.departement;
      if (!departement) {
        this.#showCoverage(null);
        this.#setState(row, 'hint', 0, 'Zoomez sur la carte ou choisissez un département.');
        return;
      }
      if (!this.scope.has(departement)) {
        this.#showCoverage(null);
        this.#setState(row, 'out-of-scope', 0, `${departementLabel(departement)} : hors du registre, qui ne recense `
          + `que les CPTS de ${[...this.scope].sort().join(', ')}.`);
        row.node.dataset.departement = departement;
        return;
      }
      if (this.coverageShown?.departement === departement) {
        const { count, summary } = this.coverageShown;
        this.#setState(row, 'ready', count, summary);
        return;
      }
      if (!this.coverage.has(departement)) {
        this.coverage.set(departement, api.coverage(departement).catch((error) => {
          this.coverage.delete(departement);
          throw error;
        }));
      }
      const collection = await this.coverage.get(departement);
      // A later choice may have been made while this one loaded.
      const wanted = this.departementSelect.value || this.viewDepartement() || departement;
      if (wanted !== departement) return;
      this.#showCoverage(departement, collection);
      const { count, summary } = this.coverageShown;
      this.#setState(row, 'ready', count, summary);
      row.node.dataset.departement = departement;
      const bounds = boundsOfFeatures(this.coverageLayer);
      if (fly && bounds) this.map.flyToBounds(bounds, { maxZoom: 11, ...this.#clearOfPanel() });
    });
  }

  #showCoverage(departement, collection) {
    this.coverageLayer.clearLayers();
    if (!collection) {
      this.coverageShown = null;
      return;
    }
    this.coverageLayer.addData(collection);
    this.coverageShown = {
      departement,
      byCode: new Map(collection.features.map(({ properties }) => [properties.code, properties])),
      count: collection.features.length,
      summary: this.#coverageSummary(departement, collection),
    };
  }

  #coverageSummary(departement, collection) {
    const communes = collection.features.map((f) => f.properties);
    const uncovered = communes.filter((c) => c.status === 'uncovered');
    const partly = communes.filter((c) => c.status !== 'uncovered');
    const population = uncovered.reduce((sum, c) => sum + c.population, 0);
    const parts = [uncovered.length
      ? `${plural(uncovered.length, 'commune non couverte', 'communes non couvertes')} (${formatInhabitants(population)})`
      : 'toutes les communes sont couvertes'];
    if (partly.length) {
      parts.push(`${plural(partly.length, 'commune', 'communes')} en partie : ${partly.map((c) => (
        Number.isFinite(c.uncovered_population) && c.uncovered_population > 0
          ? `${c.name} (${formatInhabitants(c.uncovered_population)} hors CPTS)` : c.name)).join(', ')}`);
    }
    return `${departementLabel(departement)} : ${parts.join(' ; ')}`;
  }

  #coverageText(c) {
    if (c.status === 'uncovered') return 'Aucune CPTS ne couvre cette commune';
    const names = (c.cpts ?? []).map((id) => this.cpts.get(id)?.name ?? id);
    const rest = Number.isFinite(c.uncovered_population) && c.uncovered_population > 0
      ? ` ; ${formatInhabitants(c.uncovered_population)} hors CPTS` : '';
    return `En partie couverte (${plural(names.length, 'CPTS', 'CPTS')})${rest}`;
  }

  #coverageTooltip(c) {
    const names = (c.cpts ?? []).map((id) => this.cpts.get(id)?.name ?? id);
    return el('div', { className: 'commune-tooltip' },
      el('strong', {}, c.name), ` (${c.code})`, el('br'), formatInhabitants(c.population),
      el('div', { className: 'tooltip-coverage-status' }, this.#coverageText(c)),
      names.length ? el('div', { className: 'note' }, names.join(', ')) : null,
      c.uncovered_arrondissements?.length
        ? el('div', { className: 'note' }, `Arrondissements sans CPTS : ${c.uncovered_arrondissements.join(', ')}`)
        : null);
  }
}
