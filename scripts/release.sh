#!/usr/bin/env bash
# Releases the action: tags HEAD as vX.Y.Z and moves the major tag vX to it, so that workflows
# pinned to `@vX` get the release. Refuses unless the tree is clean, dist/ is what `npm run
# build` makes of the committed source (the action runs dist/, not src/), package.json and
# CHANGELOG.md name the version, and the tag is newer than every release of its major.
#
# Usage: scripts/release.sh vX.Y.Z [--no-push]
#   --no-push  create the tags here only and print the push commands
set -euo pipefail

die() {
  echo "release: $*" >&2
  exit 1
}

tag=${1:-}
push=true
case ${2:-} in
  '') ;;
  --no-push) push=false ;;
  *) die "unknown option $2 (usage: scripts/release.sh vX.Y.Z [--no-push])" ;;
esac
[[ $tag =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] ||
  die "give the version as vX.Y.Z, e.g. v1.2.0 (got '${tag}')"
major="v${BASH_REMATCH[1]}"
version=${tag#v}

cd "$(git rev-parse --show-toplevel)"
[ -z "$(git status --porcelain)" ] || die 'commit or stash your changes first'
! git rev-parse -q --verify "refs/tags/$tag" > /dev/null || die "$tag exists already"

latest=$(git tag --list "$major.*" | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1 || true)
if [ -n "$latest" ] && [ "$(printf '%s\n%s\n' "$latest" "$tag" | sort -V | tail -n 1)" != "$tag" ]; then
  die "$tag is not newer than $latest, the latest $major release"
fi

[ "$(node -p 'require("./package.json").version')" = "$version" ] ||
  die "package.json's version is not $version: set it, and commit"
grep -Eq "^## \[?v?${version//./\\.}\]?([[:space:]]|$)" CHANGELOG.md ||
  die "CHANGELOG.md has no '## $version' section: describe the release there, and commit"

echo "Building dist/ from the committed source ..."
npm run build > /dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  git status --short -- dist >&2
  die 'dist/ differs from a fresh build: commit the result of npm run build first'
fi

git tag -a "$tag" -m "$tag"
git tag -fa "$major" -m "$major: $tag" > /dev/null
echo "Tagged $(git rev-parse --short HEAD) as $tag and moved $major to it."

if $push; then
  git push origin "refs/tags/$tag"
  git push --force origin "refs/tags/$major"
  echo "Pushed $tag and $major. Next: publish a GitHub release for $tag from CHANGELOG.md."
else
  echo "Push them with:"
  echo "  git push origin refs/tags/$tag && git push --force origin refs/tags/$major"
fi
