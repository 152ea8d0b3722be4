package setconf

import (
	"strconv"
	"strings"
)

// Field is one leaf of a configuration block, relative to the block's root. A dialect
// declares a table of fields per block, and the one table drives rendering (Block.Render),
// parsing (Block.Parse) and the single-value leaves of the diff schema (Block.ValueLeaves).
type Field[T any] struct {
	Path  []string
	Value bool                    // the device prints Path + value (false: Path alone, a presence leaf)
	Multi bool                    // a multi-value leaf: Parse takes the first value, Diff deletes old values
	Get   func(*T) (string, bool) // the value to render (ignored when !Value); false = absent
	Set   func(*T, string)        // store the parsed value (nil: the field is render-only)
}

// Block is a table of fields under one root pattern, e.g. "vpn ipsec esp-group *".
type Block[T any] struct {
	Root   string
	Fields []Field[T]
}

// Render emits the concatenated root parts + field path (+ value) for every present field,
// in table order.
func (b Block[T]) Render(o *T, emit func(...[]string), root ...[]string) {
	var r []string
	for _, x := range root {
		r = append(r, x...)
	}
	for _, f := range b.Fields {
		v, ok := f.Get(o)
		if !ok {
			continue
		}
		if f.Value {
			emit(r, f.Path, []string{v})
		} else {
			emit(r, f.Path)
		}
	}
}

// Parse reads every field present under n into o.
func (b Block[T]) Parse(o *T, n *Node) {
	for _, f := range b.Fields {
		if f.Set == nil || !n.Has(f.Path...) {
			continue
		}
		if f.Value {
			f.Set(o, n.Value(f.Path...))
		} else {
			f.Set(o, "")
		}
	}
}

// ValueLeaves returns the patterns of the block's single-value leaves, for NewSchema.
func (b Block[T]) ValueLeaves() []string {
	var out []string
	for _, f := range b.Fields {
		if f.Value && !f.Multi {
			out = append(out, b.Root+" "+strings.Join(f.Path, " "))
		}
	}
	return out
}

// Text is a string leaf, absent when empty.
func Text[T any](path string, ptr func(*T) *string) Field[T] {
	return Field[T]{
		Path:  strings.Fields(path),
		Value: true,
		Get:   func(o *T) (string, bool) { v := *ptr(o); return v, v != "" },
		Set:   func(o *T, v string) { *ptr(o) = v },
	}
}

// Number is an integer leaf, absent when zero. A value that is not a number parses as zero.
func Number[T any](path string, ptr func(*T) *int) Field[T] {
	return Field[T]{
		Path:  strings.Fields(path),
		Value: true,
		Get:   func(o *T) (string, bool) { v := *ptr(o); return strconv.Itoa(v), v != 0 },
		Set:   func(o *T, v string) { *ptr(o), _ = strconv.Atoi(v) },
	}
}

// Number64 is a 64-bit integer leaf, absent when zero.
func Number64[T any](path string, ptr func(*T) *int64) Field[T] {
	return Field[T]{
		Path:  strings.Fields(path),
		Value: true,
		Get:   func(o *T) (string, bool) { v := *ptr(o); return strconv.FormatInt(v, 10), v != 0 },
		Set:   func(o *T, v string) { *ptr(o), _ = strconv.ParseInt(v, 10, 64) },
	}
}

// Presence is a valueless leaf such as `soft-reconfiguration inbound`, present when true.
func Presence[T any](path string, ptr func(*T) *bool) Field[T] {
	return Field[T]{
		Path: strings.Fields(path),
		Get:  func(o *T) (string, bool) { return "", *ptr(o) },
		Set:  func(o *T, _ string) { *ptr(o) = true },
	}
}

// Constant is a leaf always rendered with a fixed value and ignored by parsing, such as
// `mode tunnel`.
func Constant[T any](path, value string) Field[T] {
	return Field[T]{
		Path:  strings.Fields(path),
		Value: true,
		Get:   func(*T) (string, bool) { return value, true },
	}
}

// Mapped is a string leaf whose model and device spellings differ; names are model -> device.
// Unknown spellings pass through unchanged both ways (validation rejects them on render).
func Mapped[T any](path string, ptr func(*T) *string, names [][2]string) Field[T] {
	f := Text(path, ptr)
	f.Get = func(o *T) (string, bool) {
		v := *ptr(o)
		for _, n := range names {
			if n[0] == v {
				return n[1], true
			}
		}
		return v, v != ""
	}
	f.Set = func(o *T, v string) {
		for _, n := range names {
			if n[1] == v {
				*ptr(o) = n[0]
				return
			}
		}
		*ptr(o) = v
	}
	return f
}

// Multi marks f as a multi-value leaf.
func Multi[T any](f Field[T]) Field[T] {
	f.Multi = true
	return f
}
