// Small DOM helpers. Text always goes in through textContent, never as HTML.

/**
 * Creates an element: `el('li', { className: 'x', dataset: { code } }, 'text', child)`.
 * Properties are assigned (dataset is merged); children are strings or nodes, null is skipped.
 */
export function el(tag, props = {}, ...children) {
  const { dataset, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/** Calls `fn` once `delay` ms have passed without another call. */
export function debounce(fn, delay) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
