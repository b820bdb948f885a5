import { COMPLETE_COMMAND } from './completion.js';

/**
 * The completion script of `name` for a shell. Each asks the program itself
 * (`name __complete WORDS…`) for the candidates, so commands, flags and a
 * project's names stay right as they change; no file is generated.
 */
export function completionScript(name: string, shell: 'bash' | 'zsh' | 'fish'): string {
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  if (shell === 'bash') {
    return `# ${name} completion for bash. Load it with:  source <(${name} completion bash)
# or save it as ~/.local/share/bash-completion/completions/${name}
${fn}() {
  local IFS=$'\\n'
  COMPREPLY=($(${name} ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F ${fn} ${name}
`;
  }
  if (shell === 'zsh') {
    return `#compdef ${name}
# ${name} completion for zsh. Load it with:  source <(${name} completion zsh)
# or save it as _${name} in a directory of your $fpath
${fn}() {
  local -a candidates
  candidates=("\${(@f)$(${name} ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  (( \${#candidates} )) && [[ -n "\${candidates[1]}" ]] && compadd -a candidates || _files
}
if (( $+functions[compdef] )); then compdef ${fn} ${name}; else autoload -Uz compinit && compinit && compdef ${fn} ${name}; fi
`;
  }
  return `# ${name} completion for fish. Load it with:  ${name} completion fish | source
# or save it as ~/.config/fish/completions/${name}.fish
complete -c ${name} -f -a '(${name} ${COMPLETE_COMMAND} (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`;
}
