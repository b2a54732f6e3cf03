/**
 * The Content-Security-Policy the public site is built for: no inline scripts or styles anywhere (checked by the
 * site tests), every asset from the site itself. Send it as a response header from any static host, e.g.
 *   nginx:  add_header Content-Security-Policy "<SITE_CSP>" always;
 *   Caddy:  header Content-Security-Policy "<SITE_CSP>"
 */
export const SITE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
