package edgeos

import (
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// field is one leaf of a configuration block, relative to the block's root. One table of
// fields drives rendering, parsing and the single-value leaves of the diff schema.
type field[T any] struct {
	path  []string
	value bool                    // the device prints path + value
	multi bool                    // a multi-value leaf: parse takes the first value
	get   func(*T) (string, bool) // the value to render (ignored when !value); false = absent
	set   func(*T, string)        // store the parsed value (nil: the field is render-only)
}

// block is a table of fields under one root pattern, e.g. "vpn ipsec esp-group *".
type block[T any] struct {
	root   string
	fields []field[T]
}

// render emits the concatenated root parts + field path (+ value) for every present field.
func (b block[T]) render(o *T, emit func(...[]string), root ...[]string) {
	var r []string
	for _, x := range root {
		r = append(r, x...)
	}
	for _, f := range b.fields {
		v, ok := f.get(o)
		if !ok {
			continue
		}
		if f.value {
			emit(r, f.path, []string{v})
		} else {
			emit(r, f.path)
		}
	}
}

// parse reads every field present under n into o.
func (b block[T]) parse(o *T, n *setconf.Node) {
	for _, f := range b.fields {
		if f.set == nil || !n.Has(f.path...) {
			continue
		}
		if f.value {
			f.set(o, n.Value(f.path...))
		} else {
			f.set(o, "")
		}
	}
}

// valueLeaves returns the patterns of the block's single-value leaves.
func (b block[T]) valueLeaves() []string {
	var out []string
	for _, f := range b.fields {
		if f.value && !f.multi {
			out = append(out, b.root+" "+strings.Join(f.path, " "))
		}
	}
	return out
}

// text is a string leaf, absent when empty.
func text[T any](path string, ptr func(*T) *string) field[T] {
	return field[T]{
		path:  strings.Fields(path),
		value: true,
		get:   func(o *T) (string, bool) { v := *ptr(o); return v, v != "" },
		set:   func(o *T, v string) { *ptr(o) = v },
	}
}

// number is an integer leaf, absent when zero. A value that is not a number parses as zero.
func number[T any](path string, ptr func(*T) *int) field[T] {
	return field[T]{
		path:  strings.Fields(path),
		value: true,
		get:   func(o *T) (string, bool) { v := *ptr(o); return strconv.Itoa(v), v != 0 },
		set:   func(o *T, v string) { *ptr(o), _ = strconv.Atoi(v) },
	}
}

// number64 is a 64-bit integer leaf, absent when zero.
func number64[T any](path string, ptr func(*T) *int64) field[T] {
	return field[T]{
		path:  strings.Fields(path),
		value: true,
		get:   func(o *T) (string, bool) { v := *ptr(o); return strconv.FormatInt(v, 10), v != 0 },
		set:   func(o *T, v string) { *ptr(o), _ = strconv.ParseInt(v, 10, 64) },
	}
}

// presence is a valueless leaf such as `soft-reconfiguration inbound`, present when true.
func presence[T any](path string, ptr func(*T) *bool) field[T] {
	return field[T]{
		path: strings.Fields(path),
		get:  func(o *T) (string, bool) { return "", *ptr(o) },
		set:  func(o *T, _ string) { *ptr(o) = true },
	}
}

// constant is a leaf always rendered with a fixed value and ignored by parsing, such as
// `mode tunnel`.
func constant[T any](path, value string) field[T] {
	return field[T]{
		path:  strings.Fields(path),
		value: true,
		get:   func(*T) (string, bool) { return value, true },
	}
}

// mapped is a string leaf whose model and device spellings differ; names are model -> device.
// Unknown spellings pass through unchanged both ways (validation rejects them on render).
func mapped[T any](path string, ptr func(*T) *string, names [][2]string) field[T] {
	f := text(path, ptr)
	f.get = func(o *T) (string, bool) {
		v := *ptr(o)
		for _, n := range names {
			if n[0] == v {
				return n[1], true
			}
		}
		return v, v != ""
	}
	f.set = func(o *T, v string) {
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
