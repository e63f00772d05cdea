package main

import (
	"fmt"
	"io"

	"github.com/letta-go/letta"
)

// renderer prints a streamed turn: the answer's pieces as they arrive,
// each tool call on a line of its own and, with verbose, the reasoning,
// the tools' results and the token usage. With StreamTokens the pieces of
// one message share its id and type: a new id or type starts a new line.
type renderer struct {
	out     io.Writer
	verbose bool

	cur    string // id and type of the message being printed; "" = at the start of a line
	suffix string // closes the current line
	stop   letta.StopReasonType
}

func (r *renderer) show(m letta.Message) {
	switch m.MessageType {
	case letta.MessageTypeAssistant:
		r.begin(m, "agent> ", "")
		fmt.Fprint(r.out, m.Text())
	case letta.MessageTypeReasoning:
		if r.verbose {
			r.begin(m, "  (thinking: ", ")")
			fmt.Fprint(r.out, m.Text())
		}
	case letta.MessageTypeToolCall:
		// The first piece names the tool; the next ones carry pieces of
		// its JSON arguments.
		if m.ToolCall == nil {
			return
		}
		if r.begin(m, "  [tool "+m.ToolCall.Name, "]") && r.verbose {
			fmt.Fprint(r.out, " ")
		}
		if r.verbose {
			fmt.Fprint(r.out, m.ToolCall.Arguments)
		}
	case letta.MessageTypeToolReturn:
		if r.verbose {
			name, status := "", ""
			if m.Name != nil {
				name = *m.Name
			}
			if m.Status != nil {
				status = *m.Status
			}
			r.begin(m, "  [", "]")
			fmt.Fprintf(r.out, "%s returned %s: %s", name, status, oneLine(m.Text(), 80))
		}
	case letta.MessageTypeStopReason:
		if m.StopReason != nil {
			r.stop = *m.StopReason
		}
	case letta.MessageTypeUsageStatistics:
		if r.verbose && m.StepCount != nil && m.TotalTokens != nil {
			r.endLine()
			fmt.Fprintf(r.out, "  [%d step(s), %d tokens]\n", *m.StepCount, *m.TotalTokens)
		}
	}
	// Pings (keep-alives) and types this chat does not show are skipped.
}

// begin starts a line for m unless m continues the current one; it
// reports whether it started one.
func (r *renderer) begin(m letta.Message, prefix, suffix string) bool {
	key := m.ID + "/" + string(m.MessageType)
	if key == r.cur && m.ID != "" {
		return false
	}
	r.endLine()
	fmt.Fprint(r.out, prefix)
	r.cur, r.suffix = key, suffix
	return true
}

// endLine ends the current line, if any.
func (r *renderer) endLine() {
	if r.cur == "" {
		return
	}
	fmt.Fprintln(r.out, r.suffix)
	r.cur, r.suffix = "", ""
}
