// Building DOM without innerHTML: lead text is untrusted, so every string ends up as a text node or an attribute.
import { lang } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value));
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'style' && typeof value === 'object') {
      Object.assign(el.style, value); // CSSOM, allowed by the CSP (a style="" attribute in markup is not)
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      el[name] = value; // the live property, not only the default the attribute sets
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function appendChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * h('button', { class: 'primary', onclick: save, 'aria-label': t('x') }, 'Save') → <button>.
 * attrs: class (string or array), text, on<event> handlers, style (object), value/checked/selected (properties),
 * anything else as an attribute (true → present, false/null → absent). Children: nodes, strings (text), arrays.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

/** Like h() for SVG elements (charts): svg('rect', { x: 0, y: 0, width: 10, height: 4 }). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

const locale = () => (lang() === 'de' ? 'de-DE' : 'en-GB');

/** A date/time in the console's language; '' for nothing, the input itself when it is not a date. */
export function fmtDate(value, options = { dateStyle: 'medium', timeStyle: 'short' }) {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : new Intl.DateTimeFormat(locale(), options).format(date);
}

/** A number in the console's language (1,234.5 / 1.234,5); '' for nothing. */
export function fmtNumber(value, options = {}) {
  if (value === null || value === undefined || value === '' || Number.isNaN(Number(value))) {
    return '';
  }
  return new Intl.NumberFormat(locale(), options).format(Number(value));
}
