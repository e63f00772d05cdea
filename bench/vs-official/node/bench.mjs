// The official TypeScript client's driver of bench/vs-official (see
// ../README.md): one operation's call, made sequentially for --warmup (and
// at least 100 calls) and then for --seconds, and the timed part printed as one JSON line:
// {"calls": n, "seconds": s, "cpu_seconds": c}, c being the CPU time (user
// and system) the process used over the timed calls. The comparison starts it fresh for every
// measurement.
//
// The client is @letta-ai/letta-client 1.12.1, the latest; its identities
// resource was removed in 1.7, so the identity calls use 1.6.4, the last
// version that has it (installed under the alias letta-client-identities).
import Letta from '@letta-ai/letta-client';
import LettaWithIdentities from 'letta-client-identities';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    op: { type: 'string' },
    warmup: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '2' },
    'agent-id': { type: 'string' },
    'identity-id': { type: 'string' },
    'send-messages': { type: 'string' },
    'stream-messages': { type: 'string' },
  },
});

const apiKey = 'sk-let-vs-official';
const client = new Letta({ baseURL: args.base, apiKey });
const identities = new LettaWithIdentities({ baseURL: args.base, apiKey });
const agentID = args['agent-id'];
const identityID = args['identity-id'];
const listLimit = 50;
// How many messages the server's send payload and stream hold (messages.go).
const sendMessages = Number(args['send-messages']);
const streamMessages = Number(args['stream-messages']);
const userSays = [{ role: 'user', content: 'hello there' }];

function check(ok, what) {
  if (!ok) throw new Error(`${args.op}: ${what}`);
}

// The calls, by the names operations.go gives them; each checks its answer.
const operations = {
  'agents.list': async () => {
    const page = await client.agents.list({ limit: listLimit });
    check(page.getPaginatedItems().length === listLimit, `${page.getPaginatedItems().length} agents`);
  },
  'agents.get': async () => {
    const agent = await client.agents.retrieve(agentID);
    check(agent.id === agentID, `id ${agent.id}`);
  },
  'identities.get': async () => {
    const identity = await identities.identities.retrieve(identityID);
    check(identity.id === identityID, `id ${identity.id}`);
  },
  'identities.create': async () => {
    const identity = await identities.identities.create({
      identifier_key: 'user_1',
      name: 'Caren Jones',
      identity_type: 'user',
      properties: [
        { key: 'plan', value: 'pro', type: 'string' },
        { key: 'seats', value: 12, type: 'number' },
      ],
    });
    check(identity.id === identityID, `id ${identity.id}`);
  },
  // POST /v1/agents/{agent_id}/messages: messages.create is the route's
  // method (messages.stream is the deprecated /messages/stream route).
  'messages.send': async () => {
    const response = await client.agents.messages.create(agentID, { messages: userSays });
    check(response.messages.length === sendMessages && response.stop_reason.stop_reason,
      `${response.messages.length} messages, stop reason ${response.stop_reason?.stop_reason}`);
  },
  // The same with streaming: create returns the client's Stream, an async
  // iterable of the events, ended by [DONE].
  'messages.stream': async () => {
    const stream = await client.agents.messages.create(agentID, {
      messages: userSays,
      streaming: true,
      stream_tokens: true,
    });
    let n = 0;
    for await (const message of stream) {
      check(message.message_type, 'an event without message_type');
      n++;
    }
    check(n === streamMessages, `${n} messages, want ${streamMessages}`);
  },
};

const call = operations[args.op];
if (!call) throw new Error(`no operation ${args.op}`);

// warmupCalls is the fewest calls a warm-up makes, however long they take:
// on a loaded machine a warm-up of a fixed time can end before the JIT has
// compiled the calls' code. drive.go has the same rule.
const warmupCalls = 100;

// callFor calls until ms have passed and at least minCalls calls were made,
// and returns how many calls it made and how long they took, in ms.
async function callFor(ms, minCalls) {
  const start = process.hrtime.bigint();
  for (let n = 1; ; n++) {
    await call();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed >= ms && n >= minCalls) return [n, elapsed];
  }
}

await callFor(Number(args.warmup) * 1000, warmupCalls);
const cpu = process.cpuUsage();
const [calls, ms] = await callFor(Number(args.seconds) * 1000, 1);
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ calls, seconds: ms / 1000, cpu_seconds: (user + system) / 1e6 }) + '\n');
