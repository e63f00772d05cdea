package letta

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMessageTypesCoverSpec checks the messages types against the spec:
// Message has a field for every property of every LettaMessageUnion
// variant and of the stream's control events, and nothing else; the
// MessageType constants are the union's discriminator values; the params
// cover their request schemas.
func TestMessageTypesCoverSpec(t *testing.T) {
	doc := loadSpec(t)
	union := doc.schema(t, "LettaMessageUnion")
	require.NotEmpty(t, union.OneOf)
	variants := []string{"LettaPing", "LettaStopReason", "LettaUsageStatistics"}
	for _, v := range union.OneOf {
		variants = append(variants, v.Ref[strings.LastIndex(v.Ref, "/")+1:])
	}
	known := map[MessageType]bool{
		MessageTypeSystem: true, MessageTypeUser: true, MessageTypeAssistant: true, MessageTypeReasoning: true,
		MessageTypeHiddenReasoning: true, MessageTypeToolCall: true, MessageTypeToolReturn: true,
		MessageTypeApprovalRequest: true, MessageTypeApprovalResponse: true, MessageTypeSummary: true, MessageTypeEvent: true,
	}
	for value := range union.Discriminator.Mapping {
		assert.True(t, known[MessageType(value)], "no MessageType constant for %q", value)
	}
	assert.Len(t, union.Discriminator.Mapping, len(known))
	for _, value := range doc.schema(t, "MessageType").Enum {
		assert.True(t, known[MessageType(value)], "no MessageType constant for %q", value)
	}

	cases := []struct {
		schemas []string
		typ     reflect.Type
		skip    string // a spec property the SDK sets itself
	}{
		{variants, reflect.TypeFor[Message](), ""},
		{[]string{"LettaResponse"}, reflect.TypeFor[LettaResponse](), ""},
		{[]string{"LettaRequest"}, reflect.TypeFor[MessageSendParams](), ""},
		{[]string{"LettaStreamingRequest"}, reflect.TypeFor[MessageStreamParams](), "streaming"},
		{[]string{"ResetMessagesRequest"}, reflect.TypeFor[MessageResetParams](), ""},
		{[]string{"CancelAgentRunRequest"}, reflect.TypeFor[MessageCancelParams](), ""},
		{[]string{"ApprovalCreate"}, reflect.TypeFor[ApprovalCreate](), "type"},
		{[]string{"ApprovalReturn", "letta__schemas__letta_message__ToolReturn"}, reflect.TypeFor[ApprovalDecision](), ""},
	}
	for _, c := range cases {
		t.Run(c.typ.Name(), func(t *testing.T) {
			goNames := tagNames(c.typ, "json")
			specNames := map[string]bool{}
			for _, name := range c.schemas {
				for prop := range doc.schema(t, name).Properties {
					specNames[prop] = true
					if prop != c.skip {
						assert.True(t, goNames[prop], "%s.%s has no field in %s", name, prop, c.typ.Name())
					}
				}
			}
			for n := range goNames {
				assert.True(t, specNames[n], "%s field %q is in no spec schema of %v", c.typ.Name(), n, c.schemas)
			}
		})
	}

	// The list filters: every query parameter of the operation.
	listParams := tagNames(reflect.TypeFor[MessageListParams](), "url")
	op := doc.Paths["/v1/agents/{agent_id}/messages"]["get"]
	require.NotNil(t, op)
	for _, name := range []string{"before", "after", "limit", "order", "order_by", "group_id", "conversation_id",
		"use_assistant_message", "assistant_message_tool_name", "assistant_message_tool_kwarg", "include_err",
		"include_return_message_types"} {
		assert.True(t, listParams[name], "MessageListParams has no %s", name)
		assert.Contains(t, string(op), `"name": "`+name+`"`, "the spec's list operation has no %s", name)
	}
}
