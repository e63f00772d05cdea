package lettatest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// messageRoles are MessageCreate's roles, in the server's error order.
var messageRoles = []string{"user", "system", "assistant"}

// returnMessageTypes are the values of include_return_message_types.
var returnMessageTypes = []string{"system_message", "user_message", "assistant_message", "reasoning_message",
	"hidden_reasoning_message", "tool_call_message", "tool_return_message", "approval_request_message",
	"approval_response_message", "summary_message", "event_message"}

// sendInput is a parsed LettaStreamingRequest.
type sendInput struct {
	msgs         []userInput
	approval     *approvalInput
	streaming    bool
	streamTokens bool
	includePings bool
	maxSteps     int64
	types        []string // include_return_message_types; nil: every type
}

// userInput is one MessageCreate: what the server stores (content as sent,
// text parts gaining a null signature) and the text the model reads.
type userInput struct {
	role    string
	content any
	text    string
	otid    *string
}

// parseSend reads the body of POST /v1/agents/{agent_id}/messages.
func parseSend(m map[string]any, body []byte) (sendInput, []valErr, *response) {
	o := newObj(m, "body")
	in := sendInput{includePings: true, maxSteps: 50}
	list, _ := o.optList("messages")
	order := messageKeyOrder(body)
	for i, raw := range list {
		mm, isObj := raw.(map[string]any)
		if !isObj {
			o.fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", raw, nil, "messages", i)
			continue
		}
		if ap, isApproval := parseApproval(o, mm, i); isApproval {
			in.approval = &ap
			continue
		}
		var keys []string
		if i < len(order) {
			keys = order[i]
		}
		in.msgs = append(in.msgs, parseMessageCreate(o, mm, keys, i))
	}
	if raw, sent := m["input"]; sent && raw != nil && len(list) == 0 {
		if content, text, good := parseContent(o, raw, "input"); good {
			in.msgs = append(in.msgs, userInput{role: "user", content: content, text: text})
		}
	}
	if b := o.optBool("streaming"); b != nil {
		in.streaming = *b
	}
	if b := o.optBool("stream_tokens"); b != nil {
		in.streamTokens = *b
	}
	if b := o.optBool("include_pings"); b != nil {
		in.includePings = *b
	}
	if n := o.optInt("max_steps"); n != nil {
		in.maxSteps = *n
	}
	if types, set := o.optStrList("include_return_message_types"); set {
		for i, t := range types {
			checkEnum(o, t, returnMessageTypes, "include_return_message_types", i)
		}
		in.types = types
	}
	if o.failed() {
		return in, *o.errs, nil
	}
	if len(in.msgs) == 0 && in.approval == nil {
		r := detailError(http.StatusUnprocessableEntity, "Messages must not be empty")
		return in, nil, &r
	}
	if in.streamTokens && !in.streaming {
		r := detailError(http.StatusUnprocessableEntity, "Streaming options set without streaming enabled. "+
			"stream_tokens can only be true when streaming=true. Either set streaming=true or use default values for streaming options.")
		return in, nil, &r
	}
	return in, nil, nil
}

// parseMessageCreate reads one MessageCreate. A bad role fails every member
// of the server's message union, as pydantic reports it.
func parseMessageCreate(o obj, m map[string]any, keys []string, i int) userInput {
	var in userInput
	role, _ := m["role"].(string)
	if !containsStr(messageRoles, role) {
		expected := "<MessageRole.user: 'user'>, <MessageRole.system: 'system'> or <MessageRole.assistant: 'assistant'>"
		typ := m["type"]
		if typ == nil {
			typ = "message"
		}
		echo := pyDict{keys: keys, vals: map[string]any{}}
		for k, v := range m {
			echo.vals[k] = v
		}
		if _, sent := m["type"]; !sent {
			echo.keys = append(echo.keys, "type")
		}
		echo.vals["type"] = typ
		o.fail("literal_error", "Input should be "+expected, m["role"], map[string]any{"expected": expected},
			"messages", i, "function-after[generate_otid_if_missing(), MessageCreate]", "role")
		o.fail("literal_error", "Input should be <MessageCreateType.approval: 'approval'>", typ,
			map[string]any{"expected": "<MessageCreateType.approval: 'approval'>"},
			"messages", i, "function-after[migrate_deprecated_fields(), function-after[generate_otid_if_missing(), ApprovalCreate]]", "type")
		o.fail("literal_error", "Input should be <MessageCreateType.tool_return: 'tool_return'>", typ,
			map[string]any{"expected": "<MessageCreateType.tool_return: 'tool_return'>"},
			"messages", i, "function-after[generate_otid_if_missing(), ToolReturnCreate]", "type")
		o.fail("missing", "Field required", echo, nil,
			"messages", i, "function-after[generate_otid_if_missing(), ToolReturnCreate]", "tool_returns")
		return in
	}
	in.role = role
	content, text, _ := parseContent(o, m["content"], "messages", i, "content")
	in.content, in.text = content, text
	if s, isStr := m["otid"].(string); isStr {
		in.otid = &s
	}
	return in
}

// messageKeyOrder returns the keys of each object in the body's messages
// list in the order they were sent (nil when the body is not that shape).
func messageKeyOrder(body []byte) [][]string {
	var top struct {
		Messages []json.RawMessage `json:"messages"`
	}
	if json.Unmarshal(body, &top) != nil {
		return nil
	}
	out := make([][]string, len(top.Messages))
	for i, raw := range top.Messages {
		dec := json.NewDecoder(bytes.NewReader(raw))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			continue
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			k, _ := tok.(string)
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				break
			}
			if !containsStr(out[i], k) {
				out[i] = append(out[i], k)
			}
		}
	}
	return out
}

// parseContent reads message content: a string or a list of text parts.
func parseContent(o obj, raw any, loc ...any) (content any, text string, good bool) {
	switch x := raw.(type) {
	case string:
		return x, x, true
	case []any:
		var parts []textPartJSON
		var texts []string
		for j, p := range x {
			pm, isObj := p.(map[string]any)
			t, isStr := pm["text"].(string)
			if !isObj || !isStr {
				o.fail("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", p, nil, append(loc, j)...)
				return nil, "", false
			}
			parts = append(parts, textPartJSON{Type: "text", Text: t})
			texts = append(texts, t)
		}
		return parts, strings.Join(texts, "\n"), true
	}
	o.fail("string_type", "Input should be a valid string", raw, nil, loc...)
	return nil, "", false
}

// textPartJSON is a stored text part.
type textPartJSON struct {
	Type      string  `json:"type"`
	Text      string  `json:"text"`
	Signature *string `json:"signature"`
}

// turn is one run of the agent loop: the user's rows, the model's steps
// and their rows, and the run's outcome.
type turn struct {
	agentID string
	runID   string
	users   []*storedMsg // stored at once
	lead    []*storedMsg // of users, the rows answered before the steps' (a tool result after an approval)
	steps   []turnStep
	stop    string
	usage   usageJSON
	slow    bool
	types   []string
	tokens  bool
	pings   bool
}

// turnStep is one LLM call: its answer row and, for a tool call, the tool
// result row.
type turnStep struct {
	model     modelStep
	assistant *storedMsg
	tool      *storedMsg
}

// slowDelay is how long each event of a streamed answer waits when the
// user's words hold the slow marker (fakemodel.SlowMarker, which makes
// openaifake slow too), so that a test can cancel a run while it streams.
const slowDelay = 200 * time.Millisecond

// runTurn runs the agent loop on the user's messages with the built-in
// model; the caller holds s.mu. The user's rows and any memory edit are
// applied at once; the model's rows are stored by commit.
func (s *store) runTurn(a *agent, in sendInput) *turn {
	t := &turn{agentID: a.id, runID: s.ids.newID("run"), stop: "end_turn",
		types: in.types, tokens: in.streamTokens, pings: in.includePings}
	s.recompileSystem(a, s.clock.now(), false)

	// Rows keep pointers: every step gets its own id variable.
	stepID := new(string)
	*stepID = s.ids.newID("step")
	for _, u := range in.msgs {
		otid := u.otid
		if otid == nil {
			o := s.ids.uuid4()
			otid = &o
		}
		row := &storedMsg{id: s.ids.newID("message"), role: u.role, created: s.clock.tick(), otid: otid,
			stepID: stepID, runID: &t.runID, content: u.content}
		t.users = append(t.users, row)
	}
	text := s.userWords(a, in)
	t.slow = in.streaming && strings.Contains(text, fakemodel.SlowMarker)

	hasMemoryTool := false
	for _, id := range a.toolIDs {
		if tl := s.tools[id]; tl != nil && tl.json.Name != nil && *tl.json.Name == fakemodel.MemoryInsert {
			hasMemoryTool = true
		}
	}
	step := firstStep(text, hasMemoryTool, "call_"+strings.ReplaceAll(s.ids.uuid4(), "-", "")[:24])
	var prompt, context int64
	for n := int64(1); ; n++ {
		row := &storedMsg{id: s.ids.newID("message"), role: "assistant", created: s.clock.tick(),
			stepID: stepID, runID: &t.runID, reasoning: step.reasoning, text: step.content, call: step.call}
		ts := turnStep{model: step, assistant: row}
		stepPrompt := s.promptTokens(a, t, n)
		prompt += stepPrompt
		context = stepPrompt + step.completionTokens()
		t.usage.CompletionTokens += step.completionTokens()
		if step.call != nil && requiresApproval(a, step.call.name) {
			row.approval = true
			t.stop = "requires_approval"
			t.steps = append(t.steps, ts)
			break
		}
		if step.call != nil {
			ret, status, stderr := s.memoryInsert(a, text)
			// The next step starts by rebuilding the system prompt from the
			// edited memory.
			s.recompileSystem(a, s.clock.now(), false)
			ts.tool = &storedMsg{id: s.ids.newID("message"), role: "tool", created: s.clock.tick(),
				stepID: stepID, runID: &t.runID, toolName: step.call.name, toolCallID: step.call.id,
				toolReturn: ret, status: status, stderr: stderr}
		}
		t.steps = append(t.steps, ts)
		if step.call == nil {
			break
		}
		if n >= in.maxSteps {
			t.stop = "max_steps"
			break
		}
		stepID = new(string)
		*stepID = s.ids.newID("step")
		step = afterMemory(text, ts.tool.status != "success")
	}
	t.usage.MessageType = "usage_statistics"
	t.usage.PromptTokens = prompt
	t.usage.TotalTokens = prompt + t.usage.CompletionTokens
	t.usage.StepCount = int64(len(t.steps))
	t.usage.ContextTokens = context
	if !in.streamTokens {
		zero := int64(0)
		t.usage.CachedInputTokens, t.usage.CacheWriteTokens, t.usage.ReasoningTokens = &zero, &zero, &zero
	}
	s.store(a, t.users...)
	return t
}

// lastUserText is the text of the agent's last in-context user message.
func (s *store) lastUserText(a *agent) string {
	msgs := s.chat(a.id).msgs
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.role != "user" || !containsStr(a.messageIDs, m.id) {
			continue
		}
		switch c := m.content.(type) {
		case string:
			return c
		case []textPartJSON:
			texts := make([]string, len(c))
			for j, p := range c {
				texts[j] = p.Text
			}
			return strings.Join(texts, "\n")
		}
	}
	return ""
}

// promptTokens estimates a step's prompt as openaifake counts it: a token
// per four bytes of what the model is sent (here the system prompt and the
// history's texts; the real server also sends its tool schemas).
func (s *store) promptTokens(a *agent, t *turn, step int64) int64 {
	n := 0
	for _, m := range s.chat(a.id).msgs {
		if containsStr(a.messageIDs, m.id) {
			if c, isStr := m.content.(string); isStr {
				n += len(c)
			}
			n += len(m.reasoning) + len(m.text) + len(m.toolReturn)
		}
	}
	for _, u := range t.users {
		if c, isStr := u.content.(string); isStr {
			n += len(c)
		}
	}
	for _, st := range t.steps[:min(int(step)-1, len(t.steps))] {
		n += len(st.model.reasoning) + len(st.model.content)
		if st.tool != nil {
			n += len(st.tool.toolReturn)
		}
	}
	return int64(fakemodel.Tokens(n))
}

// memoryInsert runs memory_insert(label="human", insert_line=-1) for the
// fact in text: the fact is appended to the human block as a new line, and
// the tool returns the block's new value. A failure returns the
// exception's text, and stderr the server's "Error executing function"
// line.
func (s *store) memoryInsert(a *agent, text string) (ret, status string, stderr []string) {
	fact := fakemodel.RememberedFact(text)
	var labels []string
	for _, id := range a.blockIDs {
		b := s.blocks[id]
		if b == nil || b.json.Label == nil {
			continue
		}
		if *b.json.Label != "human" {
			labels = append(labels, *b.json.Label)
			continue
		}
		if b.json.ReadOnly {
			msg := "Error This block is read-only and cannot be edited."
			return msg, "error", []string{"Error executing function memory_insert: ValueError: " + msg}
		}
		v := b.json.Value
		if v == "" {
			v = fact
		} else {
			v += "\n" + fact
		}
		b.json.Value = v
		return v, "success", nil
	}
	// str() of a KeyError is the repr of its message.
	msg := pyStr("Block field human does not exist (available sections = " + strings.Join(labels, ", ") + ")")
	return msg, "error", []string{"Error executing function memory_insert: KeyError: " + msg}
}

// store appends rows to the agent's history and context; the caller holds
// s.mu.
func (s *store) store(a *agent, rows ...*storedMsg) {
	c := s.chat(a.id)
	for _, r := range rows {
		c.msgs = append(c.msgs, r)
		a.messageIDs = append(a.messageIDs, r.id)
	}
}

// commit stores the model's rows and the run's stop reason on the agent
// (the server leaves last_run_completion and last_run_duration_ms unset).
func (s *store) commit(a *agent, t *turn) {
	for _, st := range t.steps {
		s.store(a, st.assistant)
		if st.tool != nil {
			s.store(a, st.tool)
		}
	}
	stop := t.stop
	a.lastStopReason = &stop
	a.updatedAt = s.clock.tick()
}

// messages are the turn's LettaMessages, filtered by
// include_return_message_types.
func (t *turn) messages() []any {
	out := []any{}
	for _, r := range t.lead {
		out = append(out, r.letta()...)
	}
	for _, st := range t.steps {
		rows := []*storedMsg{st.assistant}
		if st.tool != nil {
			rows = append(rows, st.tool)
		}
		for _, r := range rows {
			for _, m := range r.letta() {
				if t.types == nil || containsStr(t.types, messageType(m)) {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// lettaResponseJSON is LettaResponse, in the server's key order.
type lettaResponseJSON struct {
	Messages   []any          `json:"messages"`
	StopReason stopReasonJSON `json:"stop_reason"`
	Usage      usageJSON      `json:"usage"`
	Logprobs   any            `json:"logprobs"`
	Turns      any            `json:"turns"`
}

// POST /v1/agents/{agent_id}/messages
func (h *Handler) sendMessage(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	m, errs := rq.objectBody()
	var in sendInput
	var early *response
	if errs == nil {
		in, errs, early = parseSend(m, rq.body)
	}
	if bad := rq.invalid(errs); bad != nil {
		return *bad
	}
	if early != nil {
		return *early
	}
	if in.streaming && !isCurrentClient(rq.r.Header) {
		return detailError(http.StatusUnprocessableEntity, "streaming=true is only supported for SDK v1.0+ clients.")
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if a == nil {
		return agentNotFound(id)
	}
	var t *turn
	if in.approval != nil {
		var bad *response
		if t, bad = s.runApproval(a, in, *in.approval); bad != nil {
			return *bad
		}
	} else {
		if strings.Contains(s.userWords(a, in), fakemodel.FailMarker) {
			return h.failedTurn(a, in)
		}
		t = s.runTurn(a, in)
	}
	if in.streaming {
		return h.streamResponse(a, t)
	}
	s.commit(a, t)
	return ok(lettaResponseJSON{Messages: t.messages(), StopReason: stopReasonJSON{"stop_reason", t.stop}, Usage: t.usage})
}

// GET /v1/agents/{agent_id}/messages: limit counts stored rows, not
// LettaMessages; order picks which rows (desc: the newest), and the page
// always lists them oldest first.
func (h *Handler) listMessages(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	q := newQuery(rq.query)
	limit := q.integer("limit", 100)
	order := q.literal("order", []string{"asc", "desc"}, "desc")
	q.literal("order_by", []string{"created_at"}, "created_at")
	q.boolean("use_assistant_message", true)
	q.boolean("include_err", false)
	types := q.enumList("include_return_message_types", returnMessageTypes)
	_, typesSent := rq.query["include_return_message_types"]
	before, after := q.str("before"), q.str("after")
	if bad := rq.invalid(q.errs()); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if a == nil {
		return detailError(http.StatusNotFound, "Agent not found")
	}
	// The server rebuilds the system prompt whenever a block changes (by
	// any route); rebuilding here, before it is shown, is the same.
	s.recompileSystem(a, s.clock.now(), false)
	rows := s.chat(a.id).msgs
	// A cursor must be one of the agent's messages.
	for _, c := range []*string{after, before} {
		if c != nil && !slices.ContainsFunc(rows, func(r *storedMsg) bool { return r.id == *c }) {
			return detailError(http.StatusNotFound, "No message found with id '"+*c+"' for agent '"+id+"'.")
		}
	}
	if after != nil {
		for i, r := range rows {
			if r.id == *after {
				rows = rows[i+1:]
				break
			}
		}
	}
	if before != nil {
		for i, r := range rows {
			if r.id == *before {
				rows = rows[:i]
				break
			}
		}
	}
	if limit < 0 {
		limit = 0
	}
	if int64(len(rows)) > limit {
		if order == "desc" {
			rows = rows[int64(len(rows))-limit:]
		} else {
			rows = rows[:limit]
		}
	}
	out := []any{}
	for _, r := range rows {
		for _, m := range r.letta() {
			if !typesSent || containsStr(types, messageType(m)) {
				out = append(out, m)
			}
		}
	}
	return ok(out)
}

// PATCH /v1/agents/{agent_id}/reset-messages: the context goes back to the
// system message (rebuilt); the stored history stays.
func (h *Handler) resetMessages(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	var errs []valErr
	if len(strings.TrimSpace(string(rq.body))) == 0 {
		errs = []valErr{{typ: "missing", loc: []any{"body"}, msg: "Field required", input: nil}}
	} else {
		m, oerrs := rq.objectBody()
		errs = oerrs
		if errs == nil {
			o := newObj(m, "body")
			o.optBool("add_default_initial_messages")
			errs = *o.errs
		}
	}
	if bad := rq.invalid(errs); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.agents[id]
	if a == nil {
		return s.readNotFound("Agent", id, rq.actor)
	}
	now := s.clock.tick()
	if sys := s.systemMessage(a); sys != nil {
		a.messageIDs = []string{sys.id}
	} else {
		a.messageIDs = []string{}
	}
	s.recompileSystem(a, now, true)
	a.updatedAt, a.updatedByID = now, rq.actor
	return ok(s.renderAgent(a, includeAll))
}

// POST /v1/agents/{agent_id}/messages/cancel: cancels the agent's streamed
// runs in progress (or those of run_ids); 409 when there are none, also for
// an unknown agent, as the server does.
func (h *Handler) cancelMessages(rq *request) response {
	id := rq.pathID("agent_id", agentIDRe, "agent")
	var runIDs []string
	var errs []valErr
	if len(strings.TrimSpace(string(rq.body))) > 0 {
		m, oerrs := rq.objectBody()
		errs = oerrs
		if errs == nil {
			o := newObj(m, "body")
			runIDs, _ = o.optStrList("run_ids")
			errs = *o.errs
		}
	}
	if bad := rq.invalid(errs); bad != nil {
		return *bad
	}
	s := h.store
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for rid, run := range s.runs {
		if run.agentID != id || runIDs != nil && !containsStr(runIDs, rid) {
			continue
		}
		run.cancelOnce.Do(func() { close(run.cancel) })
		delete(s.runs, rid)
		out[rid] = "cancelled"
	}
	if len(out) == 0 {
		return detailError(http.StatusConflict, "CONFLICT: No active runs to cancel for agent "+id)
	}
	return ok(out)
}
