// The secrets of a scenario, derived from the file itself: every private text of each team, and when (if ever) the
// game may show it to another team or to observers. Used by the spy tests to search everything a client received.
import type { Scenario } from '../../shared/scenario.ts';
import type { GameView } from '../../shared/views.ts';

/** never: not even in the debrief; debrief: revealed at the debrief; exposed: revealed by exposure or the debrief. */
export type Until = 'never' | 'debrief' | 'exposed';

export interface Secret {
  owner: string;
  text: string;
  until: Until;
  what: string;
  /** For covert actions: the action whose exposure reveals it. */
  actionId?: string;
  /** Viewers who may see it anyway (for markers planted by a test: the channel's members, say). */
  allowed?: string[];
}

/** Shorter strings are too likely to occur by chance in unrelated text to mean a leak. */
const MIN_LENGTH = 12;

function publicCorpus(s: Scenario): string {
  const parts: string[] = [s.title, s.summary, ...s.notes, JSON.stringify(s.source), s.timeout.name, s.timeout.debrief];
  for (const t of s.teams) parts.push(t.name, t.short, t.publicBriefing);
  for (const a of s.actions) if (!a.covert) parts.push(a.name, a.summary, a.precedent ?? '');
  for (const m of s.meters) if (m.visibleTo === 'all') parts.push(m.name, m.description);
  for (const i of s.injects) if (i.audience === 'all') parts.push(i.title, i.text);
  for (const e of s.endings) parts.push(e.name, e.debrief);
  for (const t of s.rules.tiers) parts.push(t.name);
  return parts.join('\n');
}

/** What `viewer` may legitimately see of its own, which another team's secret might happen to repeat. */
function ownCorpus(s: Scenario, viewer: string): string {
  const t = s.teams.find((x) => x.id === viewer);
  if (!t) return '';
  const parts: string[] = [
    JSON.stringify(t.privateBriefing),
    ...(t.variants ?? []).map((v) => JSON.stringify(v.privateBriefing)),
  ];
  for (const o of t.objectives) parts.push(o.text);
  for (const f of t.factCards) parts.push(f.title, f.text);
  for (const a of s.actions) if (a.team === viewer) parts.push(a.name, a.summary);
  for (const m of s.meters)
    if (m.visibleTo === 'all' || m.visibleTo.includes(viewer)) parts.push(m.name, m.description);
  for (const i of s.injects) if (i.intel?.[viewer]) parts.push(i.intel[viewer]);
  // Intelligence reports name the meter they estimate.
  for (const spec of s.rules.intel)
    if (spec.team === viewer) parts.push(s.meters.find((m) => m.id === spec.meter)?.name ?? '');
  return parts.join('\n');
}

export function scenarioSecrets(s: Scenario): Secret[] {
  const out: Secret[] = [];
  const add = (owner: string, text: string | undefined, until: Until, what: string, actionId?: string) => {
    if (text && text.length >= MIN_LENGTH) out.push({ owner, text, until, what, ...(actionId ? { actionId } : {}) });
  };
  for (const t of s.teams) {
    for (const b of [t.privateBriefing, ...(t.variants ?? []).map((v) => v.privateBriefing)]) {
      add(t.id, b.situation, 'never', 'briefing situation');
      for (const x of b.redLines) add(t.id, x, 'never', 'red line');
      for (const x of b.wants) add(t.id, x, 'never', 'want');
    }
    for (const f of t.factCards) {
      add(t.id, f.text, 'never', 'fact card');
      add(t.id, f.title, 'never', 'fact card title');
    }
    for (const o of t.objectives) add(t.id, o.text, 'debrief', 'objective');
  }
  for (const a of s.actions) {
    if (!a.covert) continue;
    add(a.team, a.name, 'exposed', 'covert action name', a.id);
    add(a.team, a.summary, 'exposed', 'covert action summary', a.id);
    // The id as it appears in JSON (a draft, a line): as secret as the name.
    out.push({ owner: a.team, text: `"${a.id}"`, until: 'exposed', what: 'covert action id', actionId: a.id });
  }
  for (const i of s.injects) {
    for (const [team, text] of Object.entries(i.intel ?? {})) add(team, text, 'never', `intel with inject ${i.id}`);
    if (i.audience !== 'all')
      for (const team of i.audience) {
        add(team, i.text, 'never', `private inject ${i.id}`);
        add(team, i.title, 'never', `private inject title ${i.id}`);
      }
  }
  for (const m of s.meters) {
    if (m.visibleTo === 'all') continue;
    for (const team of m.visibleTo) {
      add(team, m.name, 'debrief', `hidden meter ${m.id}`);
      add(team, m.description, 'debrief', `hidden meter description ${m.id}`);
    }
  }
  return out;
}

/** The secrets `viewer` (a team id or 'observer') must be checked for: other teams', minus what it may see anyway. */
export function secretsFor(s: Scenario, all: readonly Secret[], viewer: string): Secret[] {
  const pub = publicCorpus(s);
  const own = ownCorpus(s, viewer);
  return all.filter((x) => {
    if (x.owner === viewer || x.allowed?.includes(viewer)) return false;
    // A private inject or hidden meter shared with the viewer is the viewer's too.
    if (all.some((y) => y.owner === viewer && y.text === x.text)) return false;
    const plain = x.text.startsWith('"') ? null : x.text;
    return !plain || (!pub.includes(plain) && !own.includes(plain));
  });
}

/**
 * What a client's view showed right after a payload arrived:
 * decides whether a 'debrief' or 'exposed' secret may appear.
 */
export interface SeenContext {
  phase: string | null;
  exposed: string[];
}

export function contextOf(view: Pick<GameView, 'reveals' | 'game'> | null): SeenContext {
  if (!view) return { phase: null, exposed: [] };
  const exposed = view.reveals.flatMap((r) =>
    r.lines
      .filter((l) => l.kind === 'exposure' && l.roll?.success && !l.cancelled && l.actionId)
      .map((l) => l.actionId!),
  );
  return { phase: view.game.phase, exposed };
}

/** Describes every secret found where it must not be. */
export function leaks(
  records: readonly { event: string; payload: unknown; after?: SeenContext }[],
  secrets: readonly Secret[],
  label: string,
): string[] {
  const found: string[] = [];
  records.forEach((r, i) => {
    const text = JSON.stringify(r.payload) ?? '';
    for (const x of secrets) {
      // Plain texts are searched as JSON escapes them; a quoted id is searched as is.
      const needle = x.text.startsWith('"') ? x.text : JSON.stringify(x.text).slice(1, -1);
      if (!text.includes(needle)) continue;
      const over = r.after?.phase === 'debrief' || r.after?.phase === 'ended';
      if (x.until === 'debrief' && over) continue;
      if (x.until === 'exposed' && (over || (x.actionId && r.after?.exposed.includes(x.actionId)))) continue;
      found.push(
        `${label} received ${x.owner}'s ${x.what} (${x.text.slice(0, 60)}) in payload #${i} (${r.event}, ` +
          `phase ${r.after?.phase})`,
      );
    }
  });
  return found;
}
