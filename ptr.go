package letta

// Ptr returns a pointer to v. Optional request fields are pointers so that
// "unset" (nil) can be told apart from a real zero value such as "" or false:
//
//	params := &letta.IdentityUpdateParams{Name: letta.Ptr("Caren")}
func Ptr[T any](v T) *T { return &v }
