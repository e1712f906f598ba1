# syntax=docker/dockerfile:1

# Image of docspace-offboarding: the service (/consumer, the entrypoint), the
# operators' CLI (/publish) and the DocSpace simulator (/docspace-simulator),
# static binaries on a distroless base, running as an unprivileged user.
#
#   docker build -t docspace-offboarding .
#   docker run --rm -e NATS_URL=... -e DOCSPACE_API_HOST=... -e DOCSPACE_API_KEY=... docspace-offboarding
#   docker run --rm --entrypoint /publish docspace-offboarding --help
#
# Build arguments VERSION, REVISION and CREATED fill the OCI labels, e.g.
#   --build-arg VERSION=$(git describe --tags --always) --build-arg REVISION=$(git rev-parse HEAD) \
#   --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

ARG GO_VERSION=1.26

# The builder runs on the build machine's platform and cross-compiles, so a
# multi-platform build (--platform linux/amd64,linux/arm64) needs no emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src

# Modules first: this layer stays cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .
ARG TARGETOS
ARG TARGETARCH
# Static binaries (no cgo), without local paths (-trimpath) or VCS stamping
# (.git is not in the build context), symbol tables stripped.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -buildvcs=false -ldflags='-s -w' -o /out/ \
        ./cmd/consumer ./cmd/publish ./cmd/docspace-simulator

# distroless/static: CA certificates, time zone data and /etc/passwd with the
# nonroot user (65532), nothing else: no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot

ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED
LABEL org.opencontainers.image.title="docspace-offboarding" \
      org.opencontainers.image.description="Offboards employees in ONLYOFFICE DocSpace on employee.terminated CloudEvents from NATS JetStream" \
      org.opencontainers.image.source="https://github.com/docspace-offboarding/docspace-offboarding" \
      org.opencontainers.image.documentation="https://github.com/docspace-offboarding/docspace-offboarding/blob/main/docs/DEPLOY.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12:nonroot"

COPY --from=build /out/consumer /out/publish /out/docspace-simulator /

# With NATS_URL unset the service starts an embedded NATS server storing under
# OFFBOARDING_DATA_DIR (default ./data, here /home/nonroot/data): mount a volume
# there, or better, point NATS_URL at a NATS cluster (docs/DEPLOY.md).
WORKDIR /home/nonroot
USER 65532:65532
ENTRYPOINT ["/consumer"]
