// Publishes a play file from `lt simulate --output FILE.jsonl --start START_MS --minutes M` to a Pub/Sub emulator
// topic as live traffic: line i goes out at START_MS + i / lines * SPAN_MS, the event time simulate gave it, so
// every play is "now" when it is sent. Each line is one message, its bytes as they are in the file (malformed
// lines included). Sent through the emulator's REST API in batches every 100 ms; a failed request is retried (a
// retried batch may arrive twice, which the pipeline's dedup by event id absorbs). Writes the count sent so far to
// PROGRESS_FILE. Stops after the whole file, or once STOP_FILE exists (between two batches, so what was sent is
// exactly the first N lines); then writes N to PROGRESS_FILE a last time and "published N messages" on stdout.
// Usage: node bench/chaos/publish.mjs HOST:PORT PROJECT TOPIC PLAYS.jsonl START_MS SPAN_MS PROGRESS_FILE STOP_FILE
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [host, project, topic, file, startText, spanText, progressFile, stopFile] = process.argv.slice(2);
if (!stopFile) {
  console.error('usage: node bench/chaos/publish.mjs HOST:PORT PROJECT TOPIC PLAYS.jsonl START_MS SPAN_MS PROGRESS_FILE STOP_FILE');
  process.exit(64);
}

const startMs = Number(startText);
const spanMs = Number(spanText);
const url = `http://${host}/v1/projects/${project}/topics/${topic}:publish`;
const lines = splitLines(readFileSync(file));
const maxBatch = 1000;
const patienceMs = 120_000;

let sent = 0;
while (sent < lines.length && !existsSync(stopFile)) {
  const due = Math.min(lines.length, Math.ceil((Date.now() - startMs) / spanMs * lines.length));
  while (sent < due && !existsSync(stopFile)) {
    const batch = lines.slice(sent, Math.min(due, sent + maxBatch));
    await publish(batch);
    sent += batch.length;
    writeFileSync(progressFile, `${sent}\n`);
  }

  if (sent < lines.length) {
    await sleep(100);
  }
}

writeFileSync(progressFile, `${sent}\n`);

console.log(`published ${sent} messages`);

/** The file's lines as byte buffers, without their '\n'; a final empty piece after the last '\n' is not a line. */
function splitLines(bytes) {
  const result = [];
  let from = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, from)) {
    result.push(bytes.subarray(from, i));
    from = i + 1;
  }

  if (from < bytes.length) {
    result.push(bytes.subarray(from));
  }

  return result;
}

async function publish(batch) {
  const body = JSON.stringify({ messages: batch.map(line => ({ data: line.toString('base64') })) });
  const giveUp = Date.now() + patienceMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (response.ok) {
        return;
      }

      const text = await response.text();
      if (response.status < 500) {
        throw new Error(`${url}: HTTP ${response.status}: ${text}`, { cause: 'refused' });
      }

      console.error(`${url}: HTTP ${response.status}, retrying`);
    } catch (error) {
      if (error.cause === 'refused' || Date.now() > giveUp) {
        throw error;
      }

      console.error(`${url}: ${error.message}, retrying`);
    }

    await sleep(delay);
  }
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
