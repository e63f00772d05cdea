package letta

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/letta-go/letta/internal/codec"
)

// The accessors read optional fields without nil checks: the value when
// set, the zero value when the field or the receiver is nil.
func TestAccessors(t *testing.T) {
	var a AgentState
	is := assert.New(t)
	is.NoError(codec.Unmarshal([]byte(`{"id":"agent-1","model":"openai/gpt-4o-mini","description":null,
		"max_files_open":3,"enable_sleeptime":true,"last_stop_reason":"end_turn",
		"created_at":"2025-01-02T03:04:05Z","managed_group":{"id":"group-1","manager_agent_id":"agent-2"}}`), &a))

	is.Equal("openai/gpt-4o-mini", a.GetModel())
	is.Equal("", a.GetDescription(), "null is the zero value")
	is.Equal("", a.GetEmbedding(), "absent is the zero value")
	is.Equal(3, a.GetMaxFilesOpen())
	is.True(a.GetEnableSleeptime())
	is.False(a.GetHidden())
	is.Equal(StopReasonEndTurn, a.GetLastStopReason())
	is.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), a.GetCreatedAt().UTC())
	is.True(a.GetLastRunCompletion().IsZero(), "a nil *Timestamp is the zero Timestamp")
	is.Equal("agent-2", a.GetManagedGroup().GetManagerAgentID(), "chains through a struct pointer")

	var nilAgent *AgentState
	is.Equal("", nilAgent.GetModel(), "nil receiver")
	is.Nil(nilAgent.GetManagedGroup())
	is.Equal("", nilAgent.GetManagedGroup().GetManagerAgentID(), "chains through nil")
	is.Equal("", (*Block)(nil).GetLabel())

	id := Identity{ProjectID: Ptr("proj-1")}
	is.Equal("proj-1", id.GetProjectID())
	is.Equal("", id.GetOrganizationID())
}
