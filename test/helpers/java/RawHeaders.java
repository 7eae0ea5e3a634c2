// The reference client for header exactness: Apache Kafka's own Java client writes and reads record
// headers as an ordered list (repeats, null values, any name), which kafkajs cannot. Run as a
// single-file program against the broker's jars (test/helpers/raw-headers.ts).
//   produce BOOTSTRAP TOPIC            stdin:  PARTITION TIMESTAMP KEY VALUE [NAME=VALUE ...]
//   consume BOOTSTRAP TOPIC COUNT MS   stdout: PARTITION OFFSET TIMESTAMP KEY VALUE [NAME=VALUE ...]
// Every KEY, VALUE, NAME is hex; "-" is null (PARTITION/TIMESTAMP "-": let the client choose).
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.*;

public class RawHeaders {
  static byte[] unhex(String s) {
    if (s.equals("-")) return null;
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return b;
  }

  static String hex(byte[] b) {
    if (b == null) return "-";
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02x", x));
    return sb.toString();
  }

  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", a[1]);
    if (a[0].equals("produce")) {
      p.put("acks", "all");
      try (Producer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
          if (line.isBlank()) continue;
          String[] f = line.trim().split(" ");
          RecordHeaders headers = new RecordHeaders();
          for (int i = 4; i < f.length; i++) {
            String[] kv = f[i].split("=", 2);
            headers.add(new String(unhex(kv[0]), StandardCharsets.UTF_8), unhex(kv[1]));
          }
          Integer partition = f[0].equals("-") ? null : Integer.valueOf(f[0]);
          Long ts = f[1].equals("-") ? null : Long.valueOf(f[1]);
          producer.send(new ProducerRecord<>(a[2], partition, ts, unhex(f[2]), unhex(f[3]), headers)).get();
        }
      }
      return;
    }
    p.put("group.id", "raw-headers-reader-" + System.nanoTime());
    p.put("enable.auto.commit", "false");
    int want = Integer.parseInt(a[3]);
    long deadline = System.currentTimeMillis() + Long.parseLong(a[4]);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      consumer.partitionsFor(a[2]).forEach(info -> tps.add(new TopicPartition(a[2], info.partition())));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      while (out.size() < want && System.currentTimeMillis() < deadline) consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    out.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
    PrintStream o = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    for (ConsumerRecord<byte[], byte[]> r : out) {
      StringBuilder sb = new StringBuilder(r.partition() + " " + r.offset() + " " + r.timestamp() + " " + hex(r.key()) + " " + hex(r.value()));
      for (Header h : r.headers()) sb.append(' ').append(hex(h.key().getBytes(StandardCharsets.UTF_8))).append('=').append(hex(h.value()));
      o.println(sb);
    }
    o.flush();
  }
}
