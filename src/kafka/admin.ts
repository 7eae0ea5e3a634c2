// Topic administration for the demo and scripts (the relay itself never creates topics).
import type { Logger } from '../log';
import { createKafka } from './client';

export async function createTopics(brokers: string[], topics: string[], logger: Logger, partitions = 3): Promise<void> {
  const admin = createKafka({ brokers, clientId: 'doubletap-admin', ssl: false, connectTimeout: 5000, relays: [] }, logger).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}
