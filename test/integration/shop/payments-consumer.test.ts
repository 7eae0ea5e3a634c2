// Payment events through a real Kafka broker: every event delivered twice (same message-id header, as a
// redelivery or a doubletap relay copy would be). correct applies each once, naive applies both.
import { expect } from 'chai';
import { Kafka, logLevel } from 'kafkajs';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { startShop, type Shop } from '../../../examples/shop';

describe('examples/shop payments consumer', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let shop: Shop | undefined;
  after(async () => {
    await shop?.close();
    await db?.drop();
  });

  it('correct dedups by message id in the same transaction; offset and naive apply every re-sent event', async () => {
    const broker = await ensureBroker();
    db = await createTestPostgres();
    const topic = uniqueTopic('shop-payments');
    const kafka = new Kafka({ clientId: 'shop-test', brokers: broker.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    shop = await startShop({ databaseUrl: db.url, kafka: { brokers: broker.brokers, topic, groupPrefix: uniqueTopic('g') } });
    const producer = kafka.producer();
    await producer.connect();
    const events = [...Array(10)].map((_, i) => ({
      key: `p-${i}`,
      value: JSON.stringify({ payment_id: `pay-${i}`, amount_cents: 100 + i }),
      headers: { 'message-id': `msg-${i}` },
    }));
    await producer.send({ topic, messages: events });
    await producer.send({ topic, messages: events }); // every event a second time
    await producer.disconnect();

    const count = async (variant: string) =>
      ((await db.query('SELECT count(*)::int AS n FROM payments WHERE variant = $1', [variant])) as { n: number }[])[0].n;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && ((await count('naive')) < 20 || (await count('correct')) < 10 || (await count('offset')) < 20)) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 500)); // a late extra row would show here
    expect(await count('naive')).to.equal(20);
    expect(await count('correct')).to.equal(10);
    // The second send lands at new offsets: dedup by partition/offset cannot see it is the same event.
    expect(await count('offset')).to.equal(20);
    const processed = (await db.query(`SELECT count(*)::int AS n FROM processed_messages WHERE variant = 'correct'`)) as { n: number }[];
    expect(processed[0].n).to.equal(10);
    const stats = (await (await fetch(`${shop.url}/stats`)).json()) as { variants: Record<string, { payments: number; idempotency: { hits: number } }> };
    expect(stats.variants.correct.payments).to.equal(10);
    expect(stats.variants.correct.idempotency.hits).to.equal(10);
    expect(stats.variants.naive.payments).to.equal(20);
  });
});
