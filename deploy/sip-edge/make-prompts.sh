#!/usr/bin/env bash
# Makes the edge's prompts with a real text-to-speech voice: Debian's flite, whose "kal" voice writes 8 kHz
# 16-bit mono WAV, what the edge plays as G.711. Recorded prompts can replace any file of the same name.
# Usage: deploy/sip-edge/make-prompts.sh [folder]   (default: deploy/sip-edge/prompts; existing files are kept)
set -euo pipefail
out=${1:-"$(dirname "$0")/prompts"}
mkdir -p "$out"
command -v flite >/dev/null || { echo "flite is missing: apt-get install flite" >&2; exit 1; }

say() {
  local file="$out/$1.wav"
  [ -s "$file" ] || flite -voice kal -t "$2" -o "$file"
}

say welcome "Welcome to the customer service hotline. For your bill and payments, press one. For data and value added services, press two. To make a complaint, press three."
say services "For mobile data, press one. For other services, press two."
say invalid "Sorry, that is not one of the choices."
say no-agents "Sorry, no agent can take your call now. Please call again later. Goodbye."
say max-wait "We are sorry to have kept you waiting. Please call again later. Goodbye."
say busy "All our lines are busy. Please call again later. Goodbye."
# Outbound: the satisfaction callback's question (SipEdge:Outbound:Prompts:satisfaction).
say satisfaction "Hello, this is the customer service hotline. You called us today. How satisfied were you with our service? Press one for very dissatisfied, up to five for very satisfied."
echo "prompts in $out"
