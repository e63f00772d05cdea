package letta

import (
	"encoding/json"
	"errors"

	"github.com/letta-go/letta/internal/codec"
)

// ErrServerEvent is matched (with errors.Is) by the *StreamError of a
// stream on which the server reported an error (an "event: error" event);
// errors.As with an *EventError gives what it said.
var ErrServerEvent = errors.New("letta: the server reported an error mid-stream")

// EventError is an error the server reported in the middle of a stream, as
// an "event: error" event, after its 2xx answer had begun (so it could not
// answer with an error status). Letta sends a LettaErrorMessage (for
// example error_type "llm_error" when the model provider failed, after a
// stop_reason "llm_api_error"), or {"error": ..., "code": ...} for an
// unhandled server error. It is the Err of a *StreamError.
type EventError struct {
	// ErrorType is the LettaErrorMessage's error_type ("llm_error",
	// "internal_error", ...) or the code of the other form.
	ErrorType string
	// Message is what the server said went wrong.
	Message string
	// Detail is the server's detail ("" when none).
	Detail string
	// RunID is the run the error ended ("" when not given).
	RunID string
	// Raw is the event's data as sent (the client's API key masked, should
	// the server echo it).
	Raw json.RawMessage
}

// Error returns e.g. "the server reported llm_error: Rate limited (detail)".
func (e *EventError) Error() string {
	s := "the server reported an error"
	if e.ErrorType != "" {
		s = "the server reported " + e.ErrorType
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrServerEvent) true.
func (e *EventError) Is(target error) bool { return target == ErrServerEvent }

// newEventError reads an error event's data, in either of the server's
// forms. A form it does not know keeps its text in Message.
func newEventError(data []byte) *EventError {
	var w struct {
		ErrorType *string         `json:"error_type"`
		Message   *string         `json:"message"`
		Detail    *string         `json:"detail"`
		RunID     *string         `json:"run_id"`
		Error     json.RawMessage `json:"error"`
		Code      *string         `json:"code"`
	}
	e := &EventError{Raw: json.RawMessage(append([]byte(nil), data...))}
	if codec.Unmarshal(data, &w) != nil {
		e.Message = string(data)
		return e
	}
	e.ErrorType, e.Message, e.Detail, e.RunID = strOrEmpty(w.ErrorType), strOrEmpty(w.Message), strOrEmpty(w.Detail), strOrEmpty(w.RunID)
	if e.ErrorType == "" {
		e.ErrorType = strOrEmpty(w.Code)
	}
	if e.Message == "" && len(w.Error) > 0 {
		// {"error": "text"} or {"error": {"type": ..., "message": ...}}
		var text string
		var obj struct{ Type, Message string }
		switch {
		case codec.Unmarshal(w.Error, &text) == nil:
			e.Message = text
		case codec.Unmarshal(w.Error, &obj) == nil:
			e.Message = obj.Message
			if e.ErrorType == "" {
				e.ErrorType = obj.Type
			}
		default:
			e.Message = string(w.Error)
		}
	}
	return e
}

func strOrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// messageTypeError is the LettaErrorMessage's message_type: the server
// sends it as an "event: error" event, which a stream turns into an
// *EventError, never into a Message.
const messageTypeError MessageType = "error_message"

// hasErrorKey reports whether the event data, an object without a
// message_type, has a top-level "error" key: the server's {"error": ...,
// "code": ...} sent without its "event: error" line. Only the key counts,
// not the word anywhere in the data ({"status": "error"} is a message of a
// type this SDK does not know, kept as such).
func hasErrorKey(data []byte) bool {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	return codec.Unmarshal(data, &e) == nil && len(e.Error) > 0
}
