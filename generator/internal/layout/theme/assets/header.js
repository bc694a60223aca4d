/* header.js folds the main menu behind the header's "Menu" button on a
   narrow screen, as GOV.UK's header does. The page comes with the button
   hidden and the menu shown, so that without this script, or before it
   runs, the menu is there; the script shows the button and hides the menu
   only below the width where the theme's type grows (site.css), and undoes
   both when the screen widens; site.css folds the header the same way
   until the script has marked it ready, where the browser runs scripts. Escape closes the menu and, when the focus
   was in it, puts the focus back on the button. */
(function () {
  'use strict';
  var button = document.querySelector('.site-menu-toggle');
  var menu = button && document.getElementById(button.getAttribute('aria-controls'));
  if (!menu || !window.matchMedia) return;
  var header = button.closest('.site-header') || button.parentNode;
  var wide = window.matchMedia('(min-width: 40.0625em)');
  var open = false;
  function sync() {
    var fold = !wide.matches;
    header.classList.add('site-header--ready');
    header.classList.toggle('site-header--folded', fold);
    button.hidden = !fold;
    button.setAttribute('aria-expanded', String(open));
    menu.hidden = fold && !open;
  }
  button.addEventListener('click', function () { open = !open; sync(); });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || !open || wide.matches) return;
    var inside = menu.contains(document.activeElement);
    open = false;
    sync();
    if (inside) button.focus();
  });
  if (wide.addEventListener) wide.addEventListener('change', sync);
  else if (wide.addListener) wide.addListener(sync);
  sync();
})();
