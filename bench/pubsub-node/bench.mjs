// The official Node.js Pub/Sub client against the emulator (PUBSUB_EMULATOR_HOST), one measurement per call:
//   node bench.mjs publish   TOPIC COUNT [BATCH]   publish COUNT play messages (BATCH messages a request, default: the client's)
//   node bench.mjs subscribe SUBSCRIPTION COUNT STREAMS   receive and ack COUNT messages over STREAMS StreamingPull streams
// Prints one line: "node <what> <count> <seconds> <messages/s>".
import { PubSub } from '@google-cloud/pubsub';

const [mode, name, countText, extra] = process.argv.slice(2);
const count = Number(countText);
const pubsub = new PubSub({ projectId: process.env.LT_BENCH_PROJECT ?? 'lt-bench' });

// The same ~200-byte play as the .NET side (bench/PubSubBench/BenchPlays.cs).
function play(i) {
  const n = String(i).padStart(12, '0');
  return Buffer.from(`{"eventId":"00000000-0000-4000-8000-${n}","trackId":"spotify:track:4uLU6hMCjMI75M1A${n.slice(-6)}","userId":"u-${n.slice(-8)}","ip":"81.2.69.142","playedAt":"2026-11-26T14:03:22.431Z","privateSession":false}`);
}

function report(what, seconds) {
  console.log(`node ${what} ${count} ${seconds.toFixed(3)} ${Math.round(count / seconds)}`);
}

if (mode === 'publish') {
  const batch = extra ? Number(extra) : undefined;
  const topic = pubsub.topic(name, batch ? { batching: { maxMessages: batch, maxMilliseconds: 10 } } : {});
  const payloads = Array.from({ length: count }, (_, i) => play(i));
  const started = process.hrtime.bigint();
  const pending = [];
  for (const data of payloads) {
    pending.push(topic.publishMessage({ data }));
  }
  await Promise.all(pending);
  report(batch ? `publish-batch${batch}` : 'publish', Number(process.hrtime.bigint() - started) / 1e9);
  await topic.flush();
} else if (mode === 'subscribe') {
  const streams = Number(extra);
  const subscription = pubsub.subscription(name, {
    streamingOptions: { maxStreams: streams },
    flowControl: { maxMessages: 200000, allowExcessMessages: true },
  });
  let received = 0;
  let started;
  await new Promise((resolve, reject) => {
    subscription.on('error', reject);
    subscription.on('message', (message) => {
      message.ack();
      received += 1;
      if (received === count) {
        resolve();
      }
    });
    started = process.hrtime.bigint();
  });
  report(`subscribe-${streams}streams`, Number(process.hrtime.bigint() - started) / 1e9);
  await subscription.close();
} else {
  console.error('usage: node bench.mjs publish TOPIC COUNT [BATCH] | subscribe SUBSCRIPTION COUNT STREAMS');
  process.exit(64);
}
await pubsub.close();
