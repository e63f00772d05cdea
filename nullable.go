package letta

import (
	"bytes"

	"github.com/letta-go/letta/internal/codec"
)

// Nullable is an optional request field that can also be sent as an
// explicit JSON null, for the few fields where null means "clear" rather
// than "leave unchanged" (AgentUpdateParams.MaxTokens). Its zero value is
// unset and is omitted from the request.
type Nullable[T any] struct {
	value T
	set   bool
	null  bool
}

// Value returns a Nullable that sends v.
func Value[T any](v T) Nullable[T] { return Nullable[T]{value: v, set: true} }

// Null returns a Nullable that sends an explicit null.
func Null[T any]() Nullable[T] { return Nullable[T]{set: true, null: true} }

// Get returns the value and whether one is set (false when unset or null).
func (n Nullable[T]) Get() (T, bool) { return n.value, n.set && !n.null }

// IsNull reports whether n sends an explicit null.
func (n Nullable[T]) IsNull() bool { return n.set && n.null }

// IsZero reports whether n is unset; omitzero omits it then.
func (n Nullable[T]) IsZero() bool { return !n.set }

// MarshalJSON implements json.Marshaler.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.set || n.null {
		return []byte("null"), nil
	}
	return codec.Marshal(n.value)
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := codec.Unmarshal(data, &v); err != nil {
		return err
	}
	*n = Value(v)
	return nil
}
