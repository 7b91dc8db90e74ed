# blogtrack in a container: `docker build -t blogtrack .`, then in a track's folder
#   docker run --rm -v "$PWD:/track" blogtrack build
#   docker run --rm -v "$PWD:/track" -p 4000:4000 blogtrack serve --host 0.0.0.0
# The build stage compiles the binary (a C compiler is needed for mimalloc and Oniguruma);
# the final image holds only the binary and the C runtime it links (glibc, libgcc).

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin blogtrack \
    && strip target/release/blogtrack

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/blogtrack /usr/local/bin/blogtrack
WORKDIR /track
EXPOSE 4000
ENTRYPOINT ["/usr/local/bin/blogtrack"]
CMD ["--help"]
