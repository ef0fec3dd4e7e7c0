package message

import "testing"

func TestDefaultTemplatesLoad(t *testing.T) {
	if _, err := DefaultTemplates(); err != nil {
		t.Fatal(err)
	}
}
