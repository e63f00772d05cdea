// Package fakemodel is the deterministic model's behaviour that
// lettatest/openaifake and lettatest's built-in model must share byte for
// byte: its texts, the "remember (that) X" rule, how a streamed answer is
// cut into pieces, its token estimates and its markers. The differential
// tests compare the real Letta server running on openaifake with lettatest;
// they agree because both answer from this one source.
package fakemodel
