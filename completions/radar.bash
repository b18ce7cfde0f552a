# bash completion for radar (Transfer Radar): commands, their options, and
# the club and player names stored in the database (radar complete).
# Installed as share/bash-completion/completions/radar; or source it.

_radar_options() {
    case $1 in
    extract) echo "--format --date --lexicon --jobs --model --rules-only --quiet --help" ;;
    ingest) echo "--db --date --lexicon --quiet --webhook --exec --help" ;;
    stories) echo "--club --player --source --since --stage --status --sort --limit --offset --db --json --help" ;;
    story) echo "--explain --db --json --help" ;;
    player) echo "--links --db --json --help" ;;
    sources | source) echo "--db --json --help" ;;
    club | search) echo "--limit --db --json --help" ;;
    export) echo "--format --what --club --player --source --since --stage --status --db --help" ;;
    fit) echo "--db --out --labels --folds --l2 --seed --calibrate --isotonic --min-bin --without --install --help" ;;
    registry) echo "--db --quiet --help" ;;
    db) echo "--replace --quiet --help" ;;
    outcomes) echo "--limit --offset --db --json --quiet --help" ;;
    train) echo "--out --folds --epochs --rate --seed --lexicon --quiet --help" ;;
    eval) echo "--db --json --help" ;;
    serve) echo "--db --listen --allow-host --threads --search-timeout --quiet --help" ;;
    feeds) echo "--name --db --json --help" ;;
    watch) echo "--db --interval --once --timeout --max-size --deadline --shard --allow-private --lexicon --quiet --webhook --exec --help" ;;
    follow) echo "--club --player --json --db --help" ;;
    esac
}

# The stored names of a kind (clubs, players) starting with $2, one a line.
_radar_names() {
    local db=() i
    for ((i = 1; i < COMP_CWORD; i++)); do
        [ "${COMP_WORDS[i]}" = --db ] && db=(--db "${COMP_WORDS[i + 1]}")
    done
    "${COMP_WORDS[0]}" complete "$1" "$2" "${db[@]}" 2>/dev/null
}

_radar() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="extract ingest stories story player club search sources source outcomes train fit eval export serve feeds watch follow registry db help version"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    local IFS=$'\n'
    case $prev in
    --club)
        COMPREPLY=($(_radar_names clubs "$cur"))
        return ;;
    --player)
        [ "$cmd" != follow ] && { COMPREPLY=($(_radar_names players "$cur")); return; } ;;
    --stage)
        COMPREPLY=($(compgen -W $'interest\ncontact\ntalks\nbid\nagreement\nmedical\nsigned\nrejected\ncollapsed\ndenied\nnone' -- "$cur"))
        return ;;
    --sort)
        COMPREPLY=($(compgen -W $'hot\nrecent\nfirst\nlikelihood' -- "$cur"))
        return ;;
    --format)
        [ "$cmd" = export ] && COMPREPLY=($(compgen -W $'csv\njsonl' -- "$cur")) ||
            COMPREPLY=($(compgen -W $'json\ntext' -- "$cur"))
        return ;;
    --what)
        COMPREPLY=($(compgen -W $'stories\nmentions' -- "$cur"))
        return ;;
    --db | --lexicon | --model | --out)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    esac
    unset IFS
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_radar_options "$cmd")" -- "$cur"))
        return
    fi
    local IFS=$'\n'
    case $cmd in
    help)
        [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "${commands// /$'\n'}" -- "$cur")) ;;
    club) COMPREPLY=($(_radar_names clubs "$cur")) ;;
    player) COMPREPLY=($(_radar_names players "$cur")) ;;
    follow)
        if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W $'add\nlist\nremove' -- "$cur"))
        else
            COMPREPLY=($(_radar_names clubs "$cur"; _radar_names players "$cur"))
        fi ;;
    feeds) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W $'add\nlist\nremove' -- "$cur")) ;;
    outcomes) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "import" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
    eval) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "outcomes" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur")) ;;
    extract | ingest | train) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o default -F _radar radar
