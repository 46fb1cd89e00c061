// Join links and codes for every seat, with copy buttons and QR codes (for phones in the room).
import { html, nothing } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { rerender } from '../lib/app.ts';
import { notify } from '../lib/notify.ts';
import type { KeptCodes } from '../lib/seats.ts';

const qrCache = new Map<string, string | null>();

export function qr(url: string) {
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

export async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    notify(`${what} copied.`);
  } catch {
    // No clipboard (an insecure origin, or permission refused): select the text so Ctrl+C works.
    notify(`Copy was refused by the browser: select the text and copy it by hand.`, 'error');
  }
}

// Links carry the server's PUBLIC_URL when it is set; otherwise the address this page was opened at, with a hint
// when that is "localhost", which no phone in the room can reach.
let address: { publicUrl: string | null; lan: string[] } | null = null;
fetch('/api/address')
  .then((r) => (r.ok ? r.json() : null))
  .then((a) => {
    address = a;
    rerender();
  })
  .catch(() => {});
const base = () => address?.publicUrl ?? location.origin;
const local = () => /^(localhost|127\.|\[::1\])/.test(location.hostname);

export const joinUrl = (code: string) => `${base()}/join/${encodeURIComponent(code)}`;
export const seminarUrl = (code: string) => `${base()}/seminar/${encodeURIComponent(code)}`;
export const boardUrl = (code: string) => `${base()}/board/${encodeURIComponent(code)}`;

export function addressHint() {
  if (address?.publicUrl || !local()) return nothing;
  const port = location.port ? `:${location.port}` : '';
  const lan = address?.lan ?? [];
  return html`<div class="callout warn address-hint" role="note"
    ><strong>These links say “${location.hostname}”:</strong>
    phones and other laptops cannot open them.
    ${
      lan.length
        ? html`Open this page at ${lan.map(
            (ip, i) =>
              html`${i ? ' or ' : ''}<a href="http://${ip}${port}${location.pathname}">http://${ip}${port}</a>`,
          )} instead (this machine on your network), or`
        : 'Open this page at this machine’s network address, or'
    }
    start the server with <code>PUBLIC_URL=https://your.address</code> (see the README).</div>`;
}

function seatCard(opts: {
  id: string;
  title: string;
  color?: string;
  code: string;
  short?: string;
  url: string;
  note: string;
  qrOn: boolean;
}) {
  return html`<article class="card seat-card" style=${opts.color ? `--team:${opts.color}` : ''} data-seat=${opts.id}
    aria-label=${opts.title}>
    <h3><span class="dot" aria-hidden="true"></span>${opts.title}</h3>
    <p class="help">${opts.note}</p>
    ${
      opts.short
        ? html`<div class="code-row short-row"><span class="muted small">Code</span>
            <code class="short-code" data-short-code=${opts.short}>${opts.short}</code>
            <button type="button" class="small" @click=${() => copy(opts.short!, `${opts.title} code`)}
              >Copy code</button></div>`
        : nothing
    }
    <div class="code-row"><a class="link-url" href=${opts.url} target="_blank" rel="noopener">${opts.url}</a>
      <button type="button" class="small" @click=${() => copy(opts.url, `${opts.title} link`)}>Copy link</button></div>
    ${opts.qrOn ? qr(opts.url) : nothing}
    <details class="long-code no-print"><summary class="small">Long code</summary>
      <code class="code" data-code=${opts.code}>${opts.code}</code>
      <button type="button" class="small" @click=${() => copy(opts.code, `${opts.title} long code`)}
        >Copy long code</button></details>
  </article>`;
}

/** The White Cell's code first and large, with a warning: it is the facilitator's only way back in. */
function keepThis(code: string, short: string | undefined) {
  const shown = short ?? code;
  return html`<section class="card keep-this" aria-labelledby="keep-h">
    <h2 id="keep-h">White Cell code: keep this</h2>
    <p><code class="code big-code" data-keep-code=${shown}>${shown}</code>
      <button type="button" class="small" @click=${() => copy(shown, 'White Cell code')}>Copy</button></p>
    <p>It is the only way back into the White Cell console from another browser or after clearing this one (open
      <code>/join</code> and type it with your name). Write it down or print the code sheets now.
      Lost it anyway? The server’s operator can mint a one-time recovery code (see the facilitation guide).</p>
    ${short ? html`<p class="small muted no-print">Long form: <code class="code">${code}</code></p>` : nothing}
  </section>`;
}

export function codesPanel(kept: KeptCodes, opts: { qr?: boolean } = {}) {
  const qrOn = opts.qr ?? true;
  const c = kept.codes;
  const short = c.short;
  return html`${addressHint()}${keepThis(c.control, short?.control)}
    <p class="no-print"><button type="button" @click=${() => window.print()}>Print the code sheets</button>
      <span class="muted small">One page per team (link, QR code and short code), observers, projector
        and White Cell.</span></p>
    <div class="codes">
    ${kept.teams.map((t) =>
      c.teams[t.id]
        ? seatCard({
            id: t.id,
            title: t.name,
            color: t.color,
            code: c.teams[t.id],
            short: short?.teams[t.id],
            url: joinUrl(c.teams[t.id]),
            note: `For ${t.name}’s players: each opens the link (or scans it, or types the code at /join) and gives a name.`,
            qrOn,
          })
        : nothing,
    )}
    ${seatCard({
      id: 'observer',
      title: 'Observers',
      color: '#6b7280',
      code: c.observer,
      short: short?.observer,
      url: joinUrl(c.observer),
      note: 'Note-takers and guests: the public board, the plenary and announcements.',
      qrOn,
    })}
    ${seatCard({
      id: 'board',
      title: 'Projector',
      color: '#111827',
      code: c.observer,
      url: boardUrl(c.observer),
      note: 'Open this on the screen at the front of the room: the public board in large type.',
      qrOn,
    })}
    ${seatCard({
      id: 'control',
      title: 'White Cell',
      color: '#f59e0b',
      code: c.control,
      short: short?.control,
      url: joinUrl(c.control),
      note: 'For fellow facilitators and adjudicators only: it shows every secret.',
      qrOn: false,
    })}
  </div>`;
}
