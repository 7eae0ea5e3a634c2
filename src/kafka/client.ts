// kafkajs client construction and the start-up check. src/kafka/ is the only place importing kafkajs.
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { resolveSecret } from '../secrets';
import { ConfigError, UnreachableError, messageOf } from '../errors';
import type { Logger } from '../log';
import type { KafkaSection } from '../scenario/schema-kafka';

import { installRawHeaderCodec } from './raw-headers';

// Before any client of this process fetches or produces a record (kafkajs loads its record codec
// lazily): headers then travel exactly as on the wire. See raw-headers.ts.
installRawHeaderCodec();

// We choose the partitioner explicitly (DefaultPartitioner, Java-compatible murmur2): no warning needed.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const LEVELS: Record<number, string> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through winston at warn and above; the payload carries broker addresses, never secrets. */
export function kafkaLogCreator(logger: Logger) {
  return () => ({ namespace, level, log }: LogEntry) => {
    const { message, timestamp: _ts, logger: _l, ...extra } = log as LogEntry['log'] & { logger?: string };
    logger.log(LEVELS[level] ?? 'info', `kafkajs ${namespace}: ${message}`, extra);
  };
}

function saslOf(section: KafkaSection): SASLOptions | undefined {
  if (!section.sasl) return undefined;
  const username = resolveSecret(section.sasl.username, 'kafka.sasl.username');
  const password = resolveSecret(section.sasl.password, 'kafka.sasl.password');
  return { mechanism: section.sasl.mechanism, username, password } as SASLOptions;
}

export interface ClientOptions {
  /** Retries of each request; small for the start-up check so a bad address fails fast. */
  retries?: number;
  maxRetryTime?: number;
}

export function createKafka(section: KafkaSection, logger: Logger, o: ClientOptions = {}): Kafka {
  return new Kafka({
    clientId: section.clientId,
    brokers: [...section.brokers],
    ssl: section.ssl,
    sasl: saslOf(section),
    connectionTimeout: section.connectTimeout,
    requestTimeout: 30_000,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { retries: o.retries ?? 8, initialRetryTime: 200, maxRetryTime: o.maxRetryTime ?? 5_000 },
  });
}

/** At most this long for the start-up check, whatever the broker list looks like. */
export const STARTUP_CHECK_MS = 12_000;

/**
 * Connects, lists topics and checks every named one exists — within STARTUP_CHECK_MS.
 * Unreachable brokers or failed authentication → UnreachableError; a missing topic → ConfigError.
 */
export async function checkTopics(section: KafkaSection, logger: Logger, topics: { path: string; topic: string }[]): Promise<void> {
  const where = section.brokers.join(',');
  const admin = createKafka(section, logger, { retries: 1, maxRetryTime: 1000 }).admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new UnreachableError(where, `no answer within ${STARTUP_CHECK_MS / 1000}s`)), STARTUP_CHECK_MS);
  });
  try {
    const existing = await Promise.race([
      (async () => {
        await admin.connect();
        return admin.listTopics();
      })(),
      deadline,
    ]);
    const missing = topics.filter((t) => !existing.includes(t.topic));
    if (missing.length > 0) throw new ConfigError(missing.map((m) => `${m.path}: topic ${m.topic} does not exist on ${where}`));
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UnreachableError) throw err;
    const e = err as Error & { type?: string };
    const auth = /SASL|auth/i.test(`${e.name} ${e.type ?? ''} ${e.message}`);
    throw new UnreachableError(where, auth ? `authentication failed (${messageOf(err)})` : messageOf(err));
  } finally {
    clearTimeout(timer);
    // Disconnect in the background: a half-open connection must not hold the error back.
    admin.disconnect().catch(() => undefined);
  }
}
