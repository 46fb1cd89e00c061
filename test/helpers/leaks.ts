// Finds secrets of one audience in what another audience was given. Markers follow test/fixtures/mini-scenario.ts.
import type { GameState } from '../../server/engine/index.ts';

/** Every marker in `text` that `viewer` (a team id, or 'observer') must not have seen in state `s`. */
export function leakedMarkers(s: GameState, viewer: string, text: string): string[] {
  const found: string[] = [];
  const over = s.phase === 'debrief' || s.phase === 'ended';
  const isOther = (owner: string) => owner !== viewer;
  for (const m of text.matchAll(/SECRET_([a-z]+)_[a-z_]+/g)) if (isOther(m[1])) found.push(m[0]);
  for (const m of text.matchAll(/HIDDEN_([a-z]+)_(covert|meter|objective)/g)) {
    if (!isOther(m[1]) || over) continue;
    if (m[2] === 'covert' && s.taken.some((t) => t.team === m[1] && t.exposedRound !== null)) continue;
    found.push(m[0]);
  }
  for (const m of text.matchAll(/FREEFORM_([a-z]+)_R(\d+)/g)) {
    if (!isOther(m[1])) continue;
    if (s.reveals.some((r) => r.round === Number(m[2]))) continue;
    found.push(m[0]);
  }
  // An open free-form's argument goes to every team (not observers) once its round is adjudicated.
  for (const m of text.matchAll(/OPENFF_([a-z]+)_R(\d+)/g)) {
    if (!isOther(m[1])) continue;
    if (viewer !== 'observer' && s.submissions[Number(m[2])]) continue;
    if (s.reveals.some((r) => r.round === Number(m[2]))) continue;
    found.push(m[0]);
  }
  for (const m of text.matchAll(/CHAT_(bi:([a-z]+):([a-z]+)|team:([a-z]+))_/g)) {
    const members = m[4] ? [m[4]] : [m[2], m[3]];
    if (!members.includes(viewer)) found.push(m[0]);
  }
  for (const m of text.matchAll(/SECRETDEAL_([a-z_]+)/g)) if (!m[1].split('_').includes(viewer)) found.push(m[0]);
  // Covert action ids (in drafts, submissions or lines) are as secret as their names.
  for (const a of s.scenario.actions) {
    if (!a.covert || !isOther(a.team) || over) continue;
    if (s.taken.some((t) => t.actionId === a.id && t.exposedRound !== null)) continue;
    if (text.includes(`"${a.id}"`)) found.push(a.id);
  }
  return found;
}
