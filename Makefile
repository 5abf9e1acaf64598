# The two commands of the README. Each sets up what it needs on a fresh machine first:
#   make serve   build the site and serve it on http://localhost:8000, rebuilding on change
#   make test    run every test (unit, build, links, search, HTML validity, accessibility, browser)
PY := .venv/bin/python

.PHONY: serve test fuzz build check setup bench publish

serve: .venv/.installed .build-debs .bytecode
	$(PY) build.py serve

test: .venv/.installed node_modules/.installed .chromium .build-debs .bytecode
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder   # property tests derandomized: the same examples every run (tests/conftest.py); two processes, each taking whole files (their module fixtures built once), the longest files first (tests/conftest.py)

# Property tests with random seeds and ten times the examples, to look for new failures (not CI):
# pin each one found as an @example (or a test of its own) before fixing it.
FUZZ := tests/test_robust.py tests/test_yamlfile.py tests/test_hostile.py tests/test_curation_robust.py tests/test_attacks.py
fuzz: .venv/.installed .build-debs
	HYPOTHESIS_PROFILE=dev ATTACK_EXAMPLES=50 $(PY) -m pytest -x $(FUZZ)

build: .venv/.installed .build-debs .bytecode
	$(PY) build.py build --precompress   # a preview copy with the .gz copies; `make publish` for the published one (README, Publishing)

# The copy to publish: refuses, one located error per setting, unless data/site.yaml names a real
# base_url, the publisher, a contact and the open data's licensor (README, Publishing).
publish: .venv/.installed .build-debs .bytecode
	$(PY) build.py publish

check: .venv/.installed .build-debs .bytecode
	$(PY) build.py check

bench: .venv/.installed .bytecode
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) scripts/bench.py

setup: .venv/.installed node_modules/.installed .chromium .build-debs .bytecode

.venv/.installed: requirements.txt requirements-nodeps.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	touch $@

# The generator's own modules compiled to bytecode (__pycache__/, ignored by git), as pip compiles
# the libraries it installs: where PYTHONDONTWRITEBYTECODE is set, Python would otherwise compile
# portal/ again in every process, about 0.08 s of each build (BENCHMARKS.md). An edited module is
# compiled again here; run outside make, Python compiles it itself (the same build, a little slower).
.bytecode: .venv/.installed build.py portal/*.py
	$(PY) -m compileall -q build.py portal
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium for the browser tests (Playwright's own browser download does not work here),
# Noto fonts so that screenshots show partners' own scripts (CJK, Khmer, Lao, Burmese) as readers see them
# (the build's preview images use fonts-noto-core's Noto Sans Thai too), and nginx for the test of
# deploy/nginx.conf.
DEBS := chromium fonts-noto-core fonts-noto-cjk nginx
.chromium:
	dpkg -s $(DEBS) >/dev/null 2>&1 || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBS) >/dev/null; }
	command -v chromium > $@

# What the build itself needs from Debian: the Noto fonts that the preview cards (portal/cards.py) are drawn with,
# and FriBiDi, which the libraqm inside Pillow's wheels loads when it starts: without it Pillow would lay Thai out
# unshaped (tone marks on top of vowels), so the build refuses to draw the cards.
BUILD_DEBS := fonts-noto-core libfribidi0
.build-debs: Makefile
	dpkg -s $(BUILD_DEBS) >/dev/null 2>&1 || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BUILD_DEBS) >/dev/null; }
	touch $@
