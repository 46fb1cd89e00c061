// Security headers on every response (helmet), with a Content-Security-Policy that allows what the built client
// uses and nothing else: its own scripts and styles, same-origin API and Socket.IO, data: images (the favicon and
// QR codes are inline SVG), and style attributes (Lit binds a few, such as a team's colour). No framing.
// The printable report carries its style sheet inline so that a saved copy stands alone; the browser opens it from a
// blob URL, which inherits this policy, so that one sheet is let through by its hash and no other inline style is.
import { createHash } from 'node:crypto';
import helmet from 'helmet';
import { REPORT_STYLE } from '../../shared/report-html.ts';

const reportStyle = `'sha256-${createHash('sha256').update(REPORT_STYLE).digest('base64')}'`;

export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", reportStyle],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Served over plain HTTP in a room as often as not; HSTS belongs to the TLS-terminating balancer.
    strictTransportSecurity: false,
  });
