// Forced redeliveries to the service's OWN consumer group (kafka.redeliver): the re-reads a rebalance
// or a crash before the commit causes, which relay copies (new offsets) never test.
//
// Kafka lets only a group's members commit while the group is active: an offset reset from outside
// (kafka-consumer-groups --reset-offsets, admin.setOffsets) is refused unless the group has no members.
// So doubletap does what a new instance of the service would do: it JOINS the group with a member that
// processes nothing. The group rebalances (the service gives up its partitions, its uncommitted work
// will be redelivered); for each partition assigned to doubletap's member, `rewind` commits the group's
// offset N messages back (never below the log start), as the owner may; after `hold` the member leaves,
// the group rebalances again and the service resumes from the committed offsets. Partitions the
// assignor left with the service are untouched and journaled as such. If the group is empty at that
// moment (consumer stopped), the rewind uses admin.setOffsets, as Kafka's own tool does.
// The member's client id starts with "0" so that range and round-robin assignors, which order members
// by id, give it the first partitions.
import type { Admin, Consumer } from 'kafkajs';
import client, { type Registry } from 'prom-client';
import type { ChaosContext } from '../chaos/context';
import { seededMoment } from '../chaos/moment';
import type { KafkaSection } from '../scenario/schema-kafka';
import type { RedeliverFault } from '../scenario/schema-redeliver';
import { createKafka } from './client';
import { within } from '../probes/timeout';

const CLIENT_ID = '0doubletap-redeliver';
type Ctx = Pick<ChaosContext, 'journal' | 'halt' | 'logger'> & { counted?: ReturnType<typeof redeliverMetrics> };

/** doubletap_kafka_forced_redeliveries_total{kind} and …_messages_total{kind}, on the run's registry. */
function redeliverMetrics(registry: Registry) {
  return {
    faults: new client.Counter({ name: 'doubletap_kafka_forced_redeliveries_total', help: "Forced redeliveries to the service's own consumer groups, by kind", labelNames: ['kind'], registers: [registry] }),
    messages: new client.Counter({ name: 'doubletap_kafka_forced_redelivered_messages_total', help: 'Messages those groups were made to read again (rewinds; rebalances count 0)', labelNames: ['kind'], registers: [registry] }),
  };
}

export interface PartitionRewind { partition: number; from: string; to: string; count: number }

export interface RunningRedeliveries {
  arm(): void;
  /** True when every fault that fired has finished (the group is back with the service) in time. */
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function startRedeliveries(
  kafka: KafkaSection, faults: readonly RedeliverFault[], seed: number, windowMs: number, run: Ctx & { metrics: { registry: Registry } },
): RunningRedeliveries {
  const ctx: Ctx = { ...run, counted: redeliverMetrics(run.metrics.registry) };
  const kafkaClient = createKafka({ ...kafka, clientId: CLIENT_ID }, ctx.logger);
  const timers: NodeJS.Timeout[] = [];
  const running: Promise<void>[] = [];
  const members = new Set<Consumer>();
  // Halt: nothing new starts, and a member in the group leaves now so the service gets its partitions back.
  const onHalt = () => {
    timers.forEach(clearTimeout);
    for (const m of members) void m.disconnect().catch(() => undefined);
  };
  ctx.halt.on('halt', onHalt);
  const fire = (f: RedeliverFault, i: number) =>
    running.push(force(kafkaClient, f, i, members, ctx).catch((err) => {
      ctx.logger.warn('forced redelivery failed', { group: f.group, error: String(err) });
      ctx.journal.write({ kind: 'redeliver', id: `r-${i}`, fault: f.kind, group: f.group, topic: f.topic, partitions: [], count: 0, reason: String(err) });
    }));
  return {
    arm() {
      if (ctx.halt.halted) return;
      faults.forEach((f, i) => timers.push(setTimeout(() => fire(f, i), f.at ?? seededMoment(seed, `redeliver-${i}`, windowMs))));
    },
    settle: (timeoutMs) => within(timeoutMs, Promise.allSettled(running)),
    async close() {
      onHalt();
      ctx.halt.off('halt', onHalt);
      await Promise.allSettled(running);
    },
  };
}

async function force(kafka: ReturnType<typeof createKafka>, f: RedeliverFault, i: number, members: Set<Consumer>, ctx: Ctx): Promise<void> {
  if (ctx.halt.halted) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([f.group])).groups;
    if (f.kind === 'rewind' && (group.state === 'Empty' || group.state === 'Dead')) {
      const partitions = await rewindEmptyGroup(admin, f);
      return record(ctx, f, i, partitions, 'admin.setOffsets (group empty)');
    }
    const member = kafka.consumer({ groupId: f.group, sessionTimeout: Math.max(10_000, f.hold * 2), heartbeatInterval: 1000 });
    members.add(member);
    try {
      const assigned = await join(member, f);
      const partitions = await rewindAssigned(admin, member, f, assigned);
      record(ctx, f, i, partitions, undefined, assigned.length === 0 ? "no partition was assigned to doubletap's member" : undefined);
      await new Promise((r) => setTimeout(r, ctx.halt.halted ? 0 : f.hold));
    } finally {
      members.delete(member);
      await member.disconnect().catch(() => undefined); // leaving rebalances the group back to the service
    }
    await backWithService(admin, f);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Joins with a member that never processes or commits; resolves with the partitions it was given. */
async function join(member: Consumer, f: RedeliverFault): Promise<number[]> {
  let timer: NodeJS.Timeout | undefined;
  const joined = new Promise<number[]>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`group ${f.group} did not rebalance within ${f.timeout} ms`)), f.timeout);
    member.on(member.events.GROUP_JOIN, (e) => {
      member.pause([{ topic: f.topic }]);
      resolve([...(e.payload.memberAssignment[f.topic] ?? [])].sort((a, b) => a - b));
    });
  });
  try {
    await member.connect();
    await member.subscribe({ topics: [f.topic] });
    await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    return await joined;
  } finally {
    clearTimeout(timer);
  }
}

async function rewindAssigned(admin: Admin, member: Consumer, f: RedeliverFault, assigned: number[]): Promise<PartitionRewind[]> {
  const committed = await committedOffsets(admin, f);
  const low = await logStarts(admin, f.topic);
  const out: PartitionRewind[] = [];
  for (const partition of assigned) {
    const c = committed.get(partition);
    if (c === undefined) continue; // nothing committed yet: the service starts where its reset policy says
    if (f.kind === 'rebalance') {
      // Whatever the service processed past `c` without committing is read again; only its books know how much.
      out.push({ partition, from: String(c), to: String(c), count: 0 });
      continue;
    }
    const target = Math.max(low.get(partition) ?? 0, c - f.messages);
    await member.commitOffsets([{ topic: f.topic, partition, offset: String(target) }]);
    out.push({ partition, from: String(target), to: String(c), count: c - target });
  }
  return out;
}

/** Waits (bounded) until the group is Stable again without doubletap's member: the service consumes again. */
async function backWithService(admin: Admin, f: RedeliverFault): Promise<void> {
  const deadline = Date.now() + f.timeout;
  while (Date.now() < deadline) {
    const [g] = (await admin.describeGroups([f.group])).groups;
    if (g.state !== 'PreparingRebalance' && g.state !== 'CompletingRebalance' && !g.members.some((m) => m.clientId === CLIENT_ID)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rewindEmptyGroup(admin: Admin, f: RedeliverFault): Promise<PartitionRewind[]> {
  const committed = await committedOffsets(admin, f);
  const low = await logStarts(admin, f.topic);
  const out: PartitionRewind[] = [];
  for (const [partition, c] of committed) {
    const target = Math.max(low.get(partition) ?? 0, c - f.messages);
    out.push({ partition, from: String(target), to: String(c), count: c - target });
  }
  await admin.setOffsets({ groupId: f.group, topic: f.topic, partitions: out.map((p) => ({ partition: p.partition, offset: p.from })) });
  return out;
}

async function committedOffsets(admin: Admin, f: RedeliverFault): Promise<Map<number, number>> {
  const [t] = await admin.fetchOffsets({ groupId: f.group, topics: [f.topic] });
  return new Map((t?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
}

async function logStarts(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.low)]));
}

function record(ctx: Ctx, f: RedeliverFault, i: number, partitions: PartitionRewind[], how?: string, reason?: string): void {
  const count = partitions.reduce((s, p) => s + p.count, 0);
  ctx.journal.write({
    kind: 'redeliver', id: `r-${i}`, fault: f.kind, group: f.group, topic: f.topic, partitions, count,
    ...(how ? { mode: how } : {}), ...(reason ? { reason } : {}),
  });
  ctx.counted?.faults.inc({ kind: f.kind });
  ctx.counted?.messages.inc({ kind: f.kind }, count);
  ctx.logger.info('forced redelivery', { kind: f.kind, group: f.group, partitions: partitions.length, count, reason });
}
