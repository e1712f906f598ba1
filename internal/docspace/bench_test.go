package docspace

import "testing"

func BenchmarkDecodeSuccessUser(b *testing.B) {
	body := fixture(b, "success_user.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, _, err := decodeSuccess[User](body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSuccessFolderContents(b *testing.B) {
	body := fixture(b, "success_folder_contents.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, _, err := decodeSuccess[FolderContents](body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSuccessFileOperations(b *testing.B) {
	body := fixture(b, "success_fileops.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, _, err := decodeSuccess[[]FileOperation](body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeError(b *testing.B) {
	for _, bc := range []struct {
		name   string
		status int
		body   []byte
	}{
		{"exception", 404, fixture(b, "error_not_found.json")},
		{"validation", 400, fixture(b, "validation.json")},
		{"html", 502, fixture(b, "proxy_502.html")},
		{"empty", 403, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				e := APIError{Status: bc.status}
				e.decodeError(bc.body)
			}
		})
	}
}
