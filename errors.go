package letta

import (
	"errors"
	"fmt"
)

// ErrInvalidParam is matched (with errors.Is) by every error the client
// returns for caller input it refuses before sending anything: an empty or
// unsafe path id, an enum value the API does not know, a missing required
// field.
var ErrInvalidParam = errors.New("letta: invalid parameter")

// InvalidParamError reports caller input that was refused before any request
// was sent. errors.Is(err, ErrInvalidParam) is true for it.
type InvalidParamError struct {
	// Param is the wire name of the parameter, e.g. "identity_id" or "order".
	Param string
	// Value is the refused value as the caller gave it.
	Value string
	// Reason says what is wrong with it.
	Reason string
}

func (e *InvalidParamError) Error() string {
	return fmt.Sprintf("letta: invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidParam) true.
func (e *InvalidParamError) Is(target error) bool { return target == ErrInvalidParam }
