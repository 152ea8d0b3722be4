package rtx

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
)

// texts are the device's messages in English (console character en.ascii) and Japanese
// (ja.sjis, ja.euc, ja.utf8). SEEN in the reference's table unless noted.
var texts = map[string][2]string{
	mInvalidCommand: {"Error: Invalid command name", "エラー: コマンド名を確認してください"},
	mParams:         {"Error: Insufficient or too many parameters", "エラー: パラメータの数が不適当です"},
	mKeyword:        {"Error: Illegal keyword", "エラー: パラメータのキーワードが認識できません"},
	mInteger:        {"Error: Parameter must be an integer", "エラー: パラメータは整数で指定してください"},
	mRange:          {"Error: Parameter out of range", "エラー: パラメータが範囲を越えています"},
	mIP:             {"Error: Unrecognized IP address parameter", "エラー: IPアドレスが認識できません"},
	mAdminOnly:      {"Error: Administrator use only", "管理レベルでのみ使用できます"},
	mPPSelect:       {"Error: Execute pp select command beforehand", "エラー: 先に pp select コマンドを実行してください"},         // JA INFERRED
	mTunnelSelect:   {"Error: Execute tunnel select command beforehand", "エラー: 先に tunnel select コマンドを実行してください"}, // INFERRED
	"password":      {"Incorrect password", "パスワードが間違っています"},
	"save-prompt":   {"Save new configuration ? (Y/N)", "新しい設定を保存しますか? (Y/N)"},
	"saving":        {"Saving ... CONFIG0 Done .", "セーブ中... CONFIG0 終了"},
	"more":          {"---more---", "---つづく---"},
	"one-admin":     {"Error: Another user is in administrator mode", "エラー: 他のユーザーが管理者モードです"}, // INFERRED
}

// charset is a session's `console character`: its language and encoding.
type charset struct {
	name     string
	japanese bool
	enc      encoding.Encoding // nil: the text is sent as it is (ASCII, UTF-8)
}

func charsetOf(name string) charset {
	switch name {
	case "en.ascii", "ascii":
		return charset{name: name}
	case "ja.utf8":
		return charset{name: name, japanese: true}
	case "ja.euc", "euc":
		return charset{name: name, japanese: true, enc: japanese.EUCJP}
	}
	return charset{name: name, japanese: true, enc: japanese.ShiftJIS}
}

func (c charset) text(key string) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	if c.japanese {
		return t[1]
	}
	return t[0]
}

// encode turns UTF-8 output into the session's bytes; a character the encoding lacks is
// sent as `?`.
func (c charset) encode(s string) string {
	if c.enc == nil || isASCII(s) {
		return s
	}
	var b strings.Builder
	e := c.enc.NewEncoder()
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		out, err := e.String(string(r))
		if err != nil {
			b.WriteByte('?')
			continue
		}
		b.WriteString(out)
	}
	return b.String()
}

// decode turns the session's input bytes into UTF-8.
func (c charset) decode(s string) string {
	if c.enc == nil || isASCII(s) {
		return s
	}
	out, err := c.enc.NewDecoder().String(s)
	if err != nil {
		return s
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func sjisEncodable(r rune) bool {
	_, err := japanese.ShiftJIS.NewEncoder().String(string(r))
	return err == nil
}
