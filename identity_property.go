package letta

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/letta-go/letta/internal/codec"
)

// IdentityProperty is a typed key/value property of an identity. Value keeps
// the JSON exactly as sent or received (string, number, boolean or object),
// so nothing is lost to float64 conversion; build one with StringProperty,
// NumberProperty, IntProperty, BoolProperty or JSONProperty, and read it with
// the typed accessors. Type declares the value's type; the server does not
// check that they match.
type IdentityProperty struct {
	// Key is the property's name.
	Key string `json:"key"`
	// Value is the property's JSON value.
	Value json.RawMessage `json:"value"`
	// Type is the declared type of Value.
	Type IdentityPropertyType `json:"type"`
}

// StringProperty returns a string property.
func StringProperty(key, value string) IdentityProperty {
	v, _ := codec.Marshal(value) // a string always encodes
	return IdentityProperty{Key: key, Value: v, Type: IdentityPropertyTypeString}
}

// NumberProperty returns a number property. NaN and infinities have no JSON
// form and are refused when the property is sent.
func NumberProperty(key string, value float64) IdentityProperty {
	return IdentityProperty{Key: key, Value: strconv.AppendFloat(nil, value, 'g', -1, 64), Type: IdentityPropertyTypeNumber}
}

// IntProperty returns a number property holding an integer exactly.
func IntProperty(key string, value int64) IdentityProperty {
	return IdentityProperty{Key: key, Value: strconv.AppendInt(nil, value, 10), Type: IdentityPropertyTypeNumber}
}

// BoolProperty returns a boolean property.
func BoolProperty(key string, value bool) IdentityProperty {
	return IdentityProperty{Key: key, Value: strconv.AppendBool(nil, value), Type: IdentityPropertyTypeBoolean}
}

// JSONProperty returns a json property whose value is the JSON object value.
func JSONProperty(key string, value json.RawMessage) IdentityProperty {
	return IdentityProperty{Key: key, Value: value, Type: IdentityPropertyTypeJSON}
}

// StringValue returns the value if it is a JSON string.
func (p IdentityProperty) StringValue() (string, bool) {
	var s string
	if len(p.Value) == 0 || p.Value[0] != '"' || codec.Unmarshal(p.Value, &s) != nil {
		return "", false
	}
	return s, true
}

// NumberValue returns the value if it is a JSON number.
func (p IdentityProperty) NumberValue() (float64, bool) {
	if !p.isNumber() {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(p.Value), 64)
	return f, err == nil
}

// IntValue returns the value if it is a JSON number written as an integer
// (no fraction or exponent: 3.0 and 1e3 are not) that fits in int64; use
// NumberValue for those.
func (p IdentityProperty) IntValue() (int64, bool) {
	if !p.isNumber() {
		return 0, false
	}
	i, err := strconv.ParseInt(string(p.Value), 10, 64)
	return i, err == nil
}

// BoolValue returns the value if it is a JSON boolean.
func (p IdentityProperty) BoolValue() (bool, bool) {
	switch string(p.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// DecodeValue decodes the value into v, like json.Unmarshal.
func (p IdentityProperty) DecodeValue(v any) error { return codec.Unmarshal(p.Value, v) }

func (p IdentityProperty) isNumber() bool {
	return len(p.Value) > 0 && (p.Value[0] == '-' || (p.Value[0] >= '0' && p.Value[0] <= '9'))
}

func (p *IdentityProperty) validate(param string) error {
	if p.Key == "" {
		return &InvalidParamError{Param: param + ".key", Reason: "required"}
	}
	if p.Type == "" {
		return &InvalidParamError{Param: param + ".type", Reason: "required"}
	}
	v := bytes.TrimSpace(p.Value)
	// The spec's value is string | integer | number | boolean | object: a
	// top-level array or null is refused by the server with a 422.
	if len(v) == 0 || !json.Valid(v) || string(v) == "null" || v[0] == '[' {
		return &InvalidParamError{Param: param + ".value", Value: truncateValue(string(p.Value)), Reason: "must be a JSON string, number, boolean or object"}
	}
	return nil
}

func validateProperties(param string, props []IdentityProperty) error {
	for i := range props {
		if err := props[i].validate(param + "[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	return nil
}

// truncateValue shortens a refused value for an error message.
func truncateValue(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
