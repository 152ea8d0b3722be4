package sshcli

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Keyboard-interactive: only password questions that are not echoed get the password; any
// other question fails the login without sending it, and the error quotes at most 80
// characters of the question with control characters escaped.
func TestKeyboardInteractiveQuestions(t *testing.T) {
	hostile := strings.Repeat("A", 200) + "\x1b[2J\r\nToken: "
	for _, tc := range []struct {
		name       string
		opts       serverOpts
		ok         bool
		wantInErr  []string
		answerSent bool // the server received answers (only when every question is a password question)
	}{
		{name: "password", opts: serverOpts{kbdOnly: true}, ok: true, answerSent: true},
		{name: "sshd style", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{"(admin@10.0.0.1) Password: "}}, ok: true, answerSent: true},
		{name: "empty question list first", opts: serverOpts{kbdOnly: true, kbdEmptyFirst: true}, ok: true, answerSent: true},
		{name: "one-time code", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{"Verification code: "}},
			wantInErr: []string{`"Verification code: "`, "not a password question"}},
		{name: "passcode", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{"Enter PASSCODE: "}},
			wantInErr: []string{`"Enter PASSCODE: "`}},
		{name: "echoed", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{"Password: "}, kbdEchos: []bool{true}},
			wantInErr: []string{"echoed"}},
		{name: "password and code", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{"Password: ", "Token: "}},
			wantInErr: []string{`"Token: "`}},
		{name: "expired password", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{"New password: "}},
			wantInErr: []string{"new password"}},
		{name: "hostile question", opts: serverOpts{kbdOnly: true, kbdQuestions: []string{hostile}},
			wantInErr: []string{`"` + strings.Repeat("A", 80) + `" (`, "more characters"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, tc.opts)
			s, err := Open(context.Background(), srv.config())
			if tc.ok {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				_ = s.Close()
			} else {
				var ae *AuthError
				var qe *QuestionError
				if !errors.As(err, &ae) || !errors.As(err, &qe) {
					t.Fatalf("err = %v, want an *AuthError with a *QuestionError", err)
				}
				msg := err.Error()
				for _, w := range tc.wantInErr {
					if !strings.Contains(msg, w) {
						t.Errorf("error %q does not contain %q", msg, w)
					}
				}
				if strings.ContainsAny(msg, "\x1b\r\n") || strings.Contains(msg, strings.Repeat("A", 81)) {
					t.Errorf("error %q quotes the question unescaped or too long", msg)
				}
				if strings.Contains(msg, testPassword) {
					t.Errorf("error %q contains the password", msg)
				}
			}
			answers := srv.kbdAnswers()
			if got := len(answers) > 0; got != tc.answerSent {
				t.Errorf("server received answers %q, want answers: %v", answers, tc.answerSent)
			}
			for _, a := range answers {
				for _, v := range a {
					if v != testPassword {
						t.Errorf("server received %q", v)
					}
				}
			}
		})
	}
}

func TestAnswerPasswordQuestionsUnit(t *testing.T) {
	cb := answerPasswordQuestions("pw")
	if a, err := cb("", "", nil, nil); err != nil || a == nil || len(a) != 0 {
		t.Errorf("no questions: %q, %v; want an empty answer list", a, err)
	}
	if a, err := cb("", "", []string{"Password:", "Enter passphrase for key:"}, []bool{false, false}); err != nil || len(a) != 2 || a[0] != "pw" || a[1] != "pw" {
		t.Errorf("two password questions: %q, %v", a, err)
	}
	for _, q := range []string{"Username:", "OTP:", "Retype new password:", "Confirm password:", ""} {
		if a, err := cb("", "", []string{q}, []bool{false}); err == nil {
			t.Errorf("question %q answered with %q", q, a)
		}
	}
}
