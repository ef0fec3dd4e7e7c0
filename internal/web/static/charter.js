// Progressive enhancement only: every page works without JavaScript.
// design-system.js (loaded just before this, also as a module, so in order)
// sets window.DS; this starts its components, such as the mobile menu.
if (window.DS && typeof window.DS.initAll === 'function') {
  document.documentElement.classList.add('js-enabled');
  window.DS.initAll();
}
