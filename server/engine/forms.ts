// Feedback forms: which are open to the players now. A round form opens for every round once it is revealed, the
// after-game form once the exercise is over, and a manual form whenever the White Cell sends it.
import type { Form } from '../../shared/scenario.ts';
import type { GameState } from './types.ts';
import { isOverPhase } from '../../shared/phases.ts';

export interface OpenForm {
  form: Form;
  round: number;
}

export const scenarioForms = (s: GameState): Form[] => s.scenario.forms ?? [];

export function openForms(s: GameState): OpenForm[] {
  const over = isOverPhase(s.phase);
  const out: OpenForm[] = [];
  for (const form of scenarioForms(s)) {
    if (form.when === 'round') for (const r of s.reveals) out.push({ form, round: r.round });
    if (form.when === 'game' && over) out.push({ form, round: 0 });
  }
  for (const sent of s.record?.sent ?? []) {
    const form = scenarioForms(s).find((f) => f.id === sent.formId);
    if (form && !out.some((o) => o.form.id === form.id && o.round === sent.round))
      out.push({ form, round: sent.round });
  }
  return out;
}

/** Why these answers do not fit the form, or null if they do. */
export function badAnswers(form: Form, answers: Record<string, number | string>): string | null {
  const entries = Object.entries(answers);
  if (!entries.length) return 'Answer at least one question';
  for (const [id, value] of entries) {
    const q = form.questions.find((x) => x.id === id);
    if (!q) return `No question "${id}" in this form`;
    if (q.kind === 'likert' && typeof value !== 'number') return `"${q.text}" takes a number from 1 to 5`;
    if (q.kind === 'choice' && !q.options?.includes(String(value))) return `"${q.text}" takes one of its options`;
    if (q.kind === 'text' && typeof value !== 'string') return `"${q.text}" takes text`;
  }
  return null;
}
