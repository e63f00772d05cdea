package main

import (
	"bytes"
	"fmt"
	"strings"
)

// The messages payloads: one turn of an agent that answers with reasoning
// and an assistant message, as the real Letta server (0.16.8) sends it
// (testdata/cassettes/TestCassetteMessagesSend.yaml and
// TestCassetteMessagesStream.yaml; /work/notes/real-messages-wire.md): the
// same keys in the same order, compact JSON, dates in whole seconds with
// +00:00.

// sendMessages is how many messages the send payload holds: a reasoning
// message and an assistant message.
const sendMessages = 2

// streamPieces is how many pieces of reasoning, and then of the answer, the
// stream carries: 40 tokens of each, as bench_stream_test.go's body does.
const streamPieces = 40

// streamMessages is how many messages a client yields from the stream: a
// ping, the reasoning and answer pieces, a stop_reason and a
// usage_statistics event ([DONE] is the end, not a message).
const streamMessages = 1 + 2*streamPieces + 2

// The turn's ids, as the real server makes them: the reasoning and the
// answer share one message id; their otids are that id's uuid with the
// part's index in the last bits.
const (
	turnMessageID = "message-8a5b3c1e-0000-4000-8000-000000000002"
	turnStepID    = "step-8a5b3c1e-0000-4000-8000-000000000001"
	turnRunID     = "run-8a5b3c1e-0000-4000-8000-000000000001"
	turnDate      = "2026-12-02T01:45:24+00:00"
)

// reasoning and answer are the turn's text: the stream sends them word by
// word, streamPieces words each.
var (
	reasoning = pieces("The user greets me and asks how the deployment went; I check what I remember about them and answer.")
	answer    = pieces("Hello again, Ada! The deployment went through; the new build is live and the checks are green.")
)

// pieces cycles text's words, each with its space, into streamPieces
// pieces.
func pieces(text string) []string {
	words := strings.Fields(text)
	out := make([]string, streamPieces)
	for i := range out {
		out[i] = words[i%len(words)] + " "
	}
	return out
}

// header is the fields every LettaMessage starts with, in the real server's
// order, up to and including message_type.
func header(id, messageType string) string {
	return fmt.Sprintf(`"id":%q,"date":%q,"name":null,"message_type":%q`, id, turnDate, messageType)
}

// trailer is the fields that follow message_type: otid, sender_id, step_id,
// is_err, seq_id and run_id.
func trailer(part int) string {
	return fmt.Sprintf(`"otid":"8a5b3c1e-0000-4000-8000-00000000%04x","sender_id":null,"step_id":%q,"is_err":null,"seq_id":null,"run_id":%q`,
		0x7e00+part, turnStepID, turnRunID)
}

func reasoningMessage(text string) string {
	return fmt.Sprintf(`{%s,%s,"source":"reasoner_model","reasoning":%q,"signature":null}`,
		header(turnMessageID, "reasoning_message"), trailer(0), text)
}

func assistantMessage(text string) string {
	return fmt.Sprintf(`{%s,%s,"content":%q}`, header(turnMessageID, "assistant_message"), trailer(1), text)
}

const stopReason = `{"message_type":"stop_reason","stop_reason":"end_turn"}`

// usage is a usage_statistics message; sent plainly the provider's absent
// counts are 0, streamed with stream_tokens they are null.
func usage(absent string) string {
	return fmt.Sprintf(`{"message_type":"usage_statistics","completion_tokens":%d,"prompt_tokens":1439,"total_tokens":%d,"step_count":1,"run_ids":null,"cached_input_tokens":%s,"cache_write_tokens":%s,"reasoning_tokens":%s,"context_tokens":%d}`,
		2*streamPieces, 1439+2*streamPieces, absent, absent, absent, 1439+2*streamPieces)
}

// sendPayload is the LettaResponse of POST /v1/agents/{agent_id}/messages
// with streaming false: the turn's new messages (not the user's), its stop
// reason and usage.
func sendPayload() []byte {
	return fmt.Appendf(nil, `{"messages":[%s,%s],"stop_reason":%s,"usage":%s,"logprobs":null,"turns":null}`,
		reasoningMessage(strings.Join(reasoning, "")), assistantMessage(strings.Join(answer, "")),
		stopReason, usage("0"))
}

// streamEvents are the events of the same route with streaming and
// stream_tokens true, each "data: <JSON>\n\n" as the server writes them: a
// ping (include_pings defaults to true), a reasoning_message per piece of
// reasoning and an assistant_message per piece of the answer (all sharing
// the message's id and otid), the stop reason, the usage, and [DONE].
func streamEvents() [][]byte {
	event := func(json string) []byte { return []byte("data: " + json + "\n\n") }
	out := [][]byte{event(fmt.Sprintf(`{%s,"otid":null,"sender_id":null,"step_id":null,"is_err":null,"seq_id":null,"run_id":%q}`,
		header("ping-8a5b3c1e-0000-4000-8000-000000000003", "ping"), turnRunID))}
	for _, p := range reasoning {
		out = append(out, event(reasoningMessage(p)))
	}
	for _, p := range answer {
		out = append(out, event(assistantMessage(p)))
	}
	out = append(out, event(stopReason), event(usage("null")), []byte("data: [DONE]\n\n"))
	return out
}

// streamBody is the events, one after the other.
func streamBody() []byte { return bytes.Join(streamEvents(), nil) }
