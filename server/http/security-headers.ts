// Security headers on every response (helmet), with a Content-Security-Policy that allows what the built client
// uses and nothing else: its own scripts and styles, same-origin API and Socket.IO, data: images (the favicon and
// QR codes are inline SVG), and style attributes (Lit binds a few, such as a team's colour). No framing.
import helmet from 'helmet';

export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
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
