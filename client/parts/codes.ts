// Join links and codes for every seat, with copy buttons and QR codes (for phones in the room).
import { html, nothing } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { rerender } from '../lib/app.ts';
import { notify } from '../lib/notify.ts';
import type { KeptCodes } from '../lib/seats.ts';

const qrCache = new Map<string, string | null>();

function qr(url: string) {
  if (!qrCache.has(url)) {
    qrCache.set(url, null);
    // The SVG comes from the library, built from our own URL: no outside text goes into it.
    // Loaded on first use: only the pages that show codes pay for the QR encoder.
    import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toString(url, {
          type: 'svg',
          margin: 1,
          errorCorrectionLevel: 'M',
          color: { dark: '#000000', light: '#ffffff' },
        }),
      )
      .then(
        (svgText) => {
          qrCache.set(url, svgText);
          rerender();
        },
        () => qrCache.delete(url),
      );
  }
  const svgText = qrCache.get(url);
  return svgText
    ? html`<div class="qr" role="img" aria-label="QR code for ${url}">${unsafeSVG(svgText)}</div>`
    : html`<div class="qr pending" aria-hidden="true"></div>`;
}

async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    notify(`${what} copied.`);
  } catch {
    // No clipboard (an insecure origin, or permission refused): select the text so Ctrl+C works.
    notify(`Copy was refused by the browser: select the text and copy it by hand.`, 'error');
  }
}

export const joinUrl = (code: string) => `${location.origin}/join/${encodeURIComponent(code)}`;
export const boardUrl = (code: string) => `${location.origin}/board/${encodeURIComponent(code)}`;

function seatCard(opts: {
  id: string;
  title: string;
  color?: string;
  code: string;
  url: string;
  note: string;
  qrOn: boolean;
}) {
  return html`<article class="card seat-card" style=${opts.color ? `--team:${opts.color}` : ''} data-seat=${opts.id} aria-label=${opts.title}>
    <h3><span class="dot" aria-hidden="true"></span>${opts.title}</h3>
    <p class="help">${opts.note}</p>
    <div class="code-row"><span class="muted small">Code</span> <code class="code" data-code=${opts.code}>${opts.code}</code>
      <button type="button" class="small" @click=${() => copy(opts.code, `${opts.title} code`)}>Copy code</button></div>
    <div class="code-row"><a class="link-url" href=${opts.url} target="_blank" rel="noopener">${opts.url}</a>
      <button type="button" class="small" @click=${() => copy(opts.url, `${opts.title} link`)}>Copy link</button></div>
    ${opts.qrOn ? qr(opts.url) : nothing}
  </article>`;
}

export function codesPanel(kept: KeptCodes, opts: { qr?: boolean } = {}) {
  const qrOn = opts.qr ?? true;
  const c = kept.codes;
  return html`<div class="codes">
    ${kept.teams.map((t) =>
      c.teams[t.id]
        ? seatCard({
            id: t.id,
            title: t.name,
            color: t.color,
            code: c.teams[t.id],
            url: joinUrl(c.teams[t.id]),
            note: `For ${t.name}’s players: each opens the link (or scans it) and gives a name.`,
            qrOn,
          })
        : nothing,
    )}
    ${seatCard({ id: 'observer', title: 'Observers', color: '#6b7280', code: c.observer, url: joinUrl(c.observer), note: 'Note-takers and guests: the public board, the plenary and announcements.', qrOn })}
    ${seatCard({ id: 'board', title: 'Projector', color: '#111827', code: c.observer, url: boardUrl(c.observer), note: 'Open this on the screen at the front of the room: the public board in large type.', qrOn })}
    ${seatCard({ id: 'control', title: 'White Cell', color: '#f59e0b', code: c.control, url: joinUrl(c.control), note: 'For fellow facilitators and adjudicators only: it shows every secret.', qrOn: false })}
  </div>`;
}
