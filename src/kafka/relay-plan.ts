// Which copies of a relayed original go out: the seeded decision, dry-run, budget, then the scheduler.
// Kept apart from the consume loop (relay.ts) so that file reads as "consume, produce, commit".
import type { KafkaMessage as Message } from 'kafkajs';
import type { Arming, RelayArm } from '../chaos/arming';
import { decide, type DecideRule } from '../chaos/decide';
import type { KafkaRelay } from '../scenario/schema-kafka';
import type { RelayOptions } from './relay';
import type { CopyScheduler } from './relay-copies';
import { copyOf } from './relay-message';

/** A relay is one rule with one fault: `copies` redeliveries, each after a draw from `delay`. */
export function relayRule(relay: RelayArm): DecideRule {
  return { name: relay.name, fraction: relay.fraction, faults: [{ weight: 1, copies: relay.copies, delay: relay.delay }] };
}

/** Seed, dry-run and rule of the moment: the scenario's, or a standing relay's current arming. */
function settingsOf(o: RelayOptions, relay: KafkaRelay, arming: Arming | undefined) {
  if (!arming) {
    const fixed = { seed: o.seed, dryRun: o.dryRun, rule: relayRule(relay) };
    return () => fixed;
  }
  // Re-armed settings are new objects: their rule is built once per arming, not once per message.
  let last: { armed: RelayArm; rule: DecideRule } | undefined;
  return () => {
    const armed = arming.state?.injecting ? arming.relays.get(relay.name) : undefined;
    if (!armed) return undefined; // standing and disarmed: a pass-through
    if (last?.armed !== armed) last = { armed, rule: relayRule(armed) };
    return { seed: arming.seed, dryRun: arming.dryRun, rule: last.rule };
  };
}

/**
 * Returns `plan(original)`: schedules its copies, if picked. Returns 'halted' when the halt switch is
 * on (journaled as the original's reason), else undefined. `injecting()` is false after the window.
 * A standing relay (`o.arming`) copies only while armed, with the arming's seed and settings.
 */
export function copyPlanner(o: RelayOptions, copies: CopyScheduler, injecting: () => boolean) {
  const { relay, journal, logger, metrics, budget } = o;
  const current = settingsOf(o, relay, o.arming);
  // Positional arguments: this runs once per relayed message, so no per-call object.
  return (m: Message, topic: string, partition: number, originalId: string, messageId: string): 'halted' | undefined => {
    const settings = current();
    if (!settings) return undefined;
    if (o.halt.halted) return 'halted';
    // Fraction 0 never picks: no generator per message (seeding one costs ~3 µs).
    if (!injecting() || settings.rule.fraction === 0) return undefined;
    const plan = decide(settings.seed, settings.rule, messageId);
    if (!plan.picked) return undefined;
    const context = { relay: relay.name, topic, partition, offset: m.offset, messageId };
    plan.copyDelaysMs.forEach((delayMs, i) => {
      if (settings.dryRun) {
        journal.write({ kind: 'copy', id: `${originalId}.${i + 1}`, of: originalId, fault: 'redeliver', delayMs, dryRun: true, ...context });
        return;
      }
      const taken = budget.tryTake();
      if (taken !== 'ok') {
        logger.debug('copy not sent: budget', { relay: relay.name, reason: taken });
        return;
      }
      if (Number.isFinite(budget.remaining)) metrics.budgetRemaining.set(budget.remaining);
      copies.schedule({ originalId, copyIndex: i + 1, delayMs, message: copyOf(m, relay.markCopies, i + 1), context });
    });
    return undefined;
  };
}
