// The wire protocol between the Flywheel server and any client (browser, bot, CLI): Socket.IO event maps and the
// REST bodies, with zod schemas for everything a client sends. docs/protocol.md documents each with an example.
import { z } from 'zod';
import { isOverPhase } from './phases.ts';
import { ControlCommand, GameOptions, PlayerCommand } from './commands.ts';
import { personName } from './text.ts';
import {
  ARCHIVE_PAGE,
  RECENT_MESSAGES,
  RECENT_REVEALS,
  MESSAGE_PAGE,
  REVEAL_PAGE,
  type ActionView,
  type ArchivedRef,
  type Catalogue,
  type DealView,
  type DraftView,
  type FormView,
  type InjectView,
  type GameView,
  type RevealView,
  type WireView,
} from './views.ts';

export type Role = 'team' | 'control' | 'observer';

/** Every failure a client sees has this shape; `code` is stable, `message` is for people. */
export interface ErrorBody {
  code: string;
  message: string;
}
export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/** A command from a seat: players send PlayerCommand, the White Cell ControlCommand (which includes chat.post). */
export const ClientCommand = z.union([PlayerCommand, ControlCommand]);
export type ClientCommand = z.infer<typeof ClientCommand>;

/**
 * Updates carry only the top-level sections of the view that changed since `from`; a client whose version is not
 * `from` has missed something and asks for a resync.
 */
export interface ViewPatch {
  gameId: string;
  from: number;
  version: number;
  sections: Partial<WireView>;
  /**
   * Chat only grows, so a patch carries just the new lines, to be added to the end of `messages` (a three-hour
   * game's history would otherwise travel again with every line). Absent when nothing was added; when
   * `sections.messages` is present instead (a patch `from` 0, which is a whole view), it replaces the list.
   */
  appendMessages?: GameView['messages'];
}

/**
 * Applies a patch to a view (the client-side half of the rule in docs/protocol.md). Older reveals the client fetched
 * stay, unless the patch lists their round among `earlierReveals` again (the game ended, and they read otherwise).
 */
export function applyPatch(view: WireView, p: ViewPatch): WireView {
  const next = { ...view, ...p.sections } as WireView;
  if (p.appendMessages?.length) next.messages = [...next.messages, ...p.appendMessages];
  if (p.sections.reveals || p.sections.earlierReveals) {
    const patched = p.sections.reveals ?? [];
    const earlier = new Set(next.earlierReveals.map((r) => r.round));
    const kept = view.reveals.filter((r) => !patched.some((x) => x.round === r.round));
    next.reveals = [...kept, ...patched].filter((r) => !earlier.has(r.round)).sort((a, b) => a.round - b.round);
  }
  return next;
}

/** Asks for the reveals of the rounds just before `before` (a client sends its oldest held round). */
export const RevealsRequest = z.strictObject({
  before: z.number().int().min(0).max(1000),
  limit: z.number().int().min(1).max(REVEAL_PAGE).optional(),
});
export type RevealsRequest = z.infer<typeof RevealsRequest>;

/** Older reveals, oldest first, as the seat's audience reads them; `final` as in the view's `earlierReveals`. */
export interface RevealPage {
  gameId: string;
  final: boolean;
  reveals: RevealView[];
}

/**
 * Puts fetched older reveals into a view: only rounds its `earlierReveals` still lists, with the same `final` (an
 * answer to a request made before the game ended is ignored), so a reveal is never doubled or stale.
 */
export function addReveals<V extends Pick<GameView, 'reveals' | 'earlierReveals'>>(view: V, page: RevealPage): V {
  const wanted = new Set(view.earlierReveals.filter((r) => r.final === page.final).map((r) => r.round));
  const fits = page.reveals.filter((r) => wanted.has(r.round));
  if (!fits.length) return view;
  const got = new Set(fits.map((r) => r.round));
  return {
    ...view,
    reveals: [...fits, ...view.reveals].sort((a, b) => a.round - b.round),
    earlierReveals: view.earlierReveals.filter((r) => !got.has(r.round)),
  };
}

/**
 * A view with the older reveals it fetched summed up again, as a whole view at the same version has them: a view
 * that paged reveals in and a resync then compare equal.
 */
export function compactReveals<V extends Pick<GameView, 'reveals' | 'earlierReveals' | 'game'>>(view: V): V {
  const over = isOverPhase(view.game.phase);
  const all = [
    ...view.earlierReveals,
    ...view.reveals
      .slice(0, -RECENT_REVEALS)
      .map((r) => ({ round: r.round, at: r.at, lines: r.lines.length, final: over })),
  ].sort((a, b) => a.round - b.round);
  return { ...view, reveals: view.reveals.slice(-RECENT_REVEALS), earlierReveals: all };
}

/**
 * A view as the screens read it: each action's and meter's state joined to its static part from the catalogue (one
 * the catalogue lacks, which a matching hash rules out, is left out rather than shown half), each form's to its
 * template in the record, and the drafts put back into `me` and `control`.
 */
export function withCatalogue(wire: WireView, catalogue: Catalogue): GameView {
  const byId = new Map(catalogue.actions.map((a) => [a.id, a]));
  const actions = wire.actions.flatMap((st): ActionView[] => {
    const x = byId.get(st.id);
    if (!x) return [];
    const { exposure, ...rest } = x;
    return [
      {
        ...rest,
        open: st.open,
        lockReason: st.lockReason ?? null,
        ...(exposure && st.exposure
          ? {
              exposure: {
                chance: st.exposure.chance,
                window: exposure.window,
                cheating: exposure.cheating,
                ...(st.exposure.partial ? { partial: true } : {}),
              },
            }
          : {}),
      },
    ];
  });
  const meterById = new Map(catalogue.meters.map((m) => [m.id, m]));
  const meters = wire.meters.flatMap((st): GameView['meters'] => {
    const m = meterById.get(st.id);
    if (!m) return [];
    return [
      {
        id: st.id,
        name: m.name,
        description: m.description,
        value: st.value,
        history: st.history,
        public: m.public,
        ...(m.source ? { source: m.source } : {}),
      },
    ];
  });
  // The drafts travel apart from `me` and `control` (see `draft` in GameView); screens read them where they were.
  const noDraft: DraftView = { overt: [], covert: [], freeform: null, locked: false, updatedBy: null };
  // In the places the whole projection has them, so that a joined view and a projection compare byte for byte.
  let me: GameView['me'] = null;
  if (wire.me) {
    const { intel, teammates, estimating, ...head } = wire.me;
    me = { ...head, draft: wire.draft ?? noDraft, intel, teammates, estimating };
  }
  const control = wire.control ? { drafts: wire.drafts ?? {}, ...wire.control } : null;
  const templates = new Map(wire.record.templates.map((f) => [f.id, f]));
  const forms = wire.record.forms.flatMap(({ id, round, ...rest }): FormView[] => {
    const f = templates.get(id);
    return f ? [{ id, title: f.title, when: f.when, round, questions: f.questions, ...rest }] : [];
  });
  const { templates: _templates, ...record } = { ...wire.record, forms };
  return { ...wire, actions, meters, me, control, record, draft: null, drafts: null };
}

/** Asks for deals or injects of earlier rounds that the seat's view names in `earlierDeals` or `earlierInjects`. */
export const ArchiveRequest = z.strictObject({
  kind: z.enum(['deals', 'injects']),
  ids: z.array(z.string().min(1).max(40)).min(1).max(ARCHIVE_PAGE),
});
export type ArchiveRequest = z.infer<typeof ArchiveRequest>;

/** The entries asked for that the seat may read and that are still of an earlier round, each with its view's hash. */
export type ArchivePage = { gameId: string } & (
  | { kind: 'deals'; items: { hash: string; item: DealView }[] }
  | { kind: 'injects'; items: { hash: string; item: InjectView }[] }
);

/** What a client keeps of the deals and injects of earlier rounds it fetched, by id. */
export interface Archive {
  deals: Map<string, { hash: string; item: DealView }>;
  injects: Map<string, { hash: string; item: InjectView }>;
}

/**
 * A view as the screens read it, with the earlier deals and injects the client has fetched put back in their places
 * (each ref says where) and their refs dropped: the refs left name what is still missing.
 */
export function withArchive<V extends Pick<GameView, 'deals' | 'earlierDeals' | 'injects' | 'earlierInjects'>>(
  view: V,
  archive: Archive,
): V {
  const merge = <T extends { id: string }>(
    recent: readonly T[],
    refs: readonly ArchivedRef[],
    held: Map<string, { hash: string; item: T }>,
  ) => {
    const at = new Map(refs.map((r) => [r.index, r]));
    const items: T[] = [];
    const missing: ArchivedRef[] = [];
    let next = 0;
    for (let i = 0; i < recent.length + refs.length; i++) {
      const r = at.get(i);
      if (!r) {
        if (next < recent.length) items.push(recent[next++]);
        continue;
      }
      const h = held.get(r.id);
      if (h && h.hash === r.hash) items.push(h.item);
      else missing.push(r);
    }
    items.push(...recent.slice(next));
    return { items, missing };
  };
  if (!view.earlierDeals.length && !view.earlierInjects.length) return view;
  const deals = merge(view.deals, view.earlierDeals, archive.deals);
  const injects = merge(view.injects, view.earlierInjects, archive.injects);
  return {
    ...view,
    deals: deals.items,
    earlierDeals: deals.missing,
    injects: injects.items,
    earlierInjects: injects.missing,
  };
}

/** Asks for the seat's catalogue of actions (see Catalogue); `hash`, if given, is the one the view names. */
export const CatalogueRequest = z.strictObject({
  scenarioId: z.string().min(1).max(80).optional(),
  hash: z.string().min(1).max(40).optional(),
});
export type CatalogueRequest = z.infer<typeof CatalogueRequest>;

/** Asks for the chat lines of `channel` just before line `before` (a client sends its `earlierMessages` count). */
export const HistoryRequest = z.strictObject({
  channel: z.string().min(1).max(80),
  before: z.number().int().min(0),
  limit: z.number().int().min(1).max(MESSAGE_PAGE).optional(),
});
export type HistoryRequest = z.infer<typeof HistoryRequest>;

/** Older chat: lines `start` to `start + messages.length` (exclusive) of one channel. */
export interface MessagePage {
  gameId: string;
  channel: string;
  start: number;
  messages: GameView['messages'];
}

/**
 * Puts an older page in front of the lines a view holds of its channel. A page that does not end where the held
 * lines begin (an answer to an older request, say) is ignored, so lines are never doubled or skipped.
 */
export function prependPage<V extends Pick<GameView, 'messages' | 'earlierMessages'>>(view: V, page: MessagePage): V {
  const earlier = view.earlierMessages[page.channel];
  if (earlier === undefined || page.start + page.messages.length !== earlier || page.start >= earlier) return view;
  const at = view.messages.findIndex((m) => m.channel === page.channel);
  const messages =
    at < 0
      ? [...view.messages, ...page.messages]
      : [...view.messages.slice(0, at), ...page.messages, ...view.messages.slice(at)];
  return { ...view, messages, earlierMessages: { ...view.earlierMessages, [page.channel]: page.start } };
}

/**
 * The view a client holds, with its chat cut back to what a whole view at the same version carries: the latest
 * lines of each channel, channel after channel. A patched view and a resync then compare equal.
 */
export function compactChat<V extends Pick<GameView, 'messages' | 'earlierMessages'>>(
  view: V,
  recent = RECENT_MESSAGES,
): V {
  const byChannel = new Map<string, GameView['messages']>();
  for (const m of view.messages) {
    const lines = byChannel.get(m.channel);
    if (lines) lines.push(m);
    else byChannel.set(m.channel, [m]);
  }
  const messages: GameView['messages'] = [];
  const earlierMessages: Record<string, number> = {};
  for (const [ch, earlier] of Object.entries(view.earlierMessages)) {
    const lines = byChannel.get(ch) ?? [];
    const keep = Math.min(recent, lines.length);
    messages.push(...lines.slice(lines.length - keep));
    earlierMessages[ch] = earlier + lines.length - keep;
  }
  return { ...view, messages, earlierMessages };
}
export interface FullView {
  gameId: string;
  version: number;
  view: WireView;
}
export interface Presence {
  gameId: string;
  online: { playerId: string; name: string; role: string; team: string | null; sockets: number }[];
}

export interface ServerToClient {
  /** The whole view: sent on every (re)connection and in answer to resync. */
  view: (payload: FullView) => void;
  /** What changed after a command. */
  patch: (payload: ViewPatch) => void;
  /** Who is connected (White Cell only). */
  presence: (payload: Presence) => void;
}

export interface ClientToServer {
  command: (command: unknown, ack: (res: Ack<{ version: number }>) => void) => void;
  resync: (ack: (res: Ack<FullView>) => void) => void;
  /** Older chat of one channel the seat can read (see HistoryRequest). */
  history: (request: unknown, ack: (res: Ack<MessagePage>) => void) => void;
  /** Older reveals, as the seat's audience reads them (see RevealsRequest). */
  reveals: (request: unknown, ack: (res: Ack<RevealPage>) => void) => void;
  /** The seat's catalogue of actions, named in its view's `catalogue` (see CatalogueRequest). */
  catalogue: (request: unknown, ack: (res: Ack<Catalogue>) => void) => void;
  /** Deals or injects of earlier rounds, as the seat's audience reads them (see ArchiveRequest). */
  archive: (request: unknown, ack: (res: Ack<ArchivePage>) => void) => void;
}

// REST bodies
export const CreateGameBody = z.strictObject({
  scenario: z.string().regex(/^[a-z][a-z0-9_-]{0,47}$/),
  options: GameOptions.default({}),
  /** The creator's display name at the White Cell. */
  name: personName.default('White Cell'),
});
export type CreateGameBody = z.infer<typeof CreateGameBody>;
export interface CreateGameResult {
  gameId: string;
  controlToken: string;
  /** The creator's own player at the White Cell (so their console knows its own row). */
  playerId: string;
  codes: JoinCodes;
}
/** POST /api/games/:id/fork: a new game from the end of a past round of this one (White Cell only). */
export const ForkBody = z.strictObject({
  round: z.number().int().min(0).max(20),
  name: personName.default('White Cell'),
});
export type ForkBody = z.infer<typeof ForkBody>;
export interface ForkResult extends CreateGameResult {
  parent: { gameId: string; round: number };
}

/** One join code per team, one for the White Cell and one for observers. */
export interface JoinCodes {
  control: string;
  observer: string;
  teams: Record<string, string>;
  /**
   * The same seats' short codes (`K7QM-3XHD-9TPA`, see join-code.ts), to read aloud or type from a sheet: either
   * form joins. Absent only in codes a browser kept from before short codes.
   */
  short?: { control: string; observer: string; teams: Record<string, string> };
}

export const JoinBody = z.strictObject({
  code: z.string().min(4).max(80),
  name: personName,
  /**
   * The kind of seat the caller means to take (the projector's page asks for an observer's): a code for another
   * kind is refused with 409 WRONG_SEAT before anyone is seated.
   */
  role: z.enum(['team', 'control', 'observer']).optional(),
});
export type JoinBody = z.infer<typeof JoinBody>;
export const JoinPreviewBody = z.strictObject({ code: z.string().min(4).max(80) });
export type JoinPreviewBody = z.infer<typeof JoinPreviewBody>;
/** POST /api/join/preview: which exercise and seat a code is for, before joining. */
export interface JoinPreview {
  title: string;
  role: Role;
  team: string | null;
  /** "United States", "the White Cell" or "an observer". */
  seatName: string;
  /** Set when the code is a seminar's short code: the seminar's join code, whose page (`/seminar/<code>`) seats. */
  seminar?: string;
}

export interface JoinResult {
  token: string;
  gameId: string;
  playerId: string;
  role: Role;
  team: string | null;
  name: string;
}

/** POST /api/games/:id/players/:playerId/rename: a new name, checked as joining checks one. */
export const RenamePlayerBody = z.strictObject({ name: personName });
export type RenamePlayerBody = z.infer<typeof RenamePlayerBody>;
export interface RenamePlayerResult {
  playerId: string;
  name: string;
}
/** POST /api/games/:id/players/:playerId/move: `to` is a team id, "control" or "observer". */
export const MovePlayerBody = z.strictObject({ to: z.string().trim().min(1).max(64) });
export type MovePlayerBody = z.infer<typeof MovePlayerBody>;
export interface MovePlayerResult {
  playerId: string;
  role: Role;
  team: string | null;
}

/** POST /api/games/:id/codes/rotate. `revokeSeats` also signs out every other seat (their tokens stop working). */
export const RotateCodesBody = z.strictObject({ revokeSeats: z.boolean().default(false) });
export type RotateCodesBody = z.infer<typeof RotateCodesBody>;
export interface RotateCodesResult {
  codes: JoinCodes;
  revoked: number;
  /**
   * True when the caller was a White Cell seat without the codes key (an operator's recovery seat, or a player moved
   * to the White Cell): the codes were made under a new key that only the caller holds; the other White Cell
   * members keep their seats but can no longer read the codes.
   */
  rekeyed: boolean;
}

/** Every REST failure: an HTTP status of 4xx or 5xx with this body. */
export interface ErrorResponse {
  error: ErrorBody;
}

export interface ScenarioSummary {
  id: string;
  title: string;
  summary: string;
  rounds: number;
  /** How long a round stands for ("one quarter of a year"), or null when rounds are only numbered. */
  roundSpan: string | null;
  phases: Record<string, number>;
  /** Named rounds-and-clocks settings that fit a session (a seminar of three hours, say); minutes: its length. */
  presets: { id: string; name: string; rounds: number; phases: Record<string, number>; minutes: number | null }[];
  teams: { id: string; name: string; short: string; color: string; variants: { id: string; name: string }[] }[];
}
