/**
 * Disks and devices: mkfs*, partition editors (fdisk & co, `parted -s` is a script, not a
 * listing), wipefs, blkdiscard, hdparm's erase options, nvme/mdadm/cryptsetup/zpool/zfs/LVM
 * destruction, and `mount -o remount,rw` of a system filesystem.
 */
import type { SimpleCommand } from './simple-command.js';
import { argTexts, reporter, staticText } from './simple-command.js';
import { normalizeAbs } from './paths.js';
import { scanOptions } from './options.js';
import { MOUNT_OPTIONS } from './command-options.js';
import { resolveValues } from './cmd-fs.js';

const MKFS = /^(?:mkfs(?:\..+)?|mke2fs|mkswap|mkdosfs|mkntfs|mkexfatfs|mkfs_\w+|newfs(?:_\w+)?|mkudffs|mkreiserfs|mkbtrfs)$/;

/** Whether the command only prints help or a version. */
function onlyHelp(cmd: SimpleCommand): boolean {
  return cmd.args.length > 0 && cmd.args.every((a) => ['--help', '--version', '-V', '-h', '--usage'].includes(staticText(a) ?? ''));
}

/** mkfs*, fdisk & co, wipefs, blkdiscard, mount -o remount,rw /, … */
export function classifyDisk(cmd: SimpleCommand): boolean {
  const { name, args, scope } = cmd;
  const texts = argTexts(args);
  const devices = args.filter((a) => resolveValues(a, scope).abs.some((p) => p.startsWith('/dev/')));
  const block = reporter(cmd, 'block.disk-destruction');
  if (MKFS.test(name)) {
    if (onlyHelp(cmd)) return true;
    return block(`${name} creates a filesystem`);
  }
  switch (name) {
    case 'fdisk':
    case 'gdisk':
    case 'cfdisk':
    case 'sfdisk':
    case 'sgdisk':
    case 'parted':
    case 'partx':
    case 'partprobe': {
      if (onlyHelp(cmd)) return true;
      if (name === 'parted') {
        // parted's -s is --script (not a listing): only -l, or a device with read-only commands, lists
        const words = texts.filter((t) => !t.startsWith('-') && !t.startsWith('/dev/'));
        const readOnly =
          words.length > 0 &&
          words.every((w) => /^(?:p|print|unit|[kmgt]i?b|s|b|%|cyl|chs|compact|help|align-check|opt|min|optimal|minimal|\d+)$/i.test(w));
        if (texts.includes('-l') || texts.includes('--list') || readOnly) return true;
        return devices.length > 0 || words.length === 0 ? block('parted edits a partition table') : true;
      }
      const listing = texts.some((t) =>
        [
          '-l',
          '--list',
          '-p',
          '--print',
          'print',
          '-d',
          '--dump',
          '-s',
          '--show-size',
          '-J',
          '--json',
          '-i',
          '--info',
          '-v',
          '--verify',
          '-P',
          '--pretend',
          '--list-free',
          '-F',
          '--show',
        ].includes(t),
      );
      if (listing || name === 'partprobe' || name === 'partx') return true;
      if (devices.length > 0 || args.filter((a) => !(staticText(a) ?? '').startsWith('-')).length === 0) {
        return block(`${name} edits a partition table`);
      }
      return true;
    }
    case 'wipefs':
      if (onlyHelp(cmd) || texts.includes('-n') || texts.includes('--no-act')) return true;
      return block('wipefs erases filesystem signatures');
    case 'blkdiscard':
      if (onlyHelp(cmd)) return true;
      return block('blkdiscard discards every block of a device');
    case 'badblocks':
      if (texts.some((t) => /^-[a-zA-Z]*w/.test(t))) return block('badblocks -w overwrites the device');
      return true;
    case 'hdparm':
      if (
        texts.some((t) =>
          /^--(?:security-erase|security-erase-enhanced|trim-sector-ranges|write-sector|make-bad-sector|dco-restore|fwdownload)/.test(t),
        )
      ) {
        return block('hdparm erases or rewrites the drive');
      }
      return true;
    case 'nvme':
      if (['format', 'sanitize', 'delete-ns'].includes(texts[0] ?? '')) return block(`nvme ${texts[0]} erases the drive`);
      return true;
    case 'sg_format':
      return onlyHelp(cmd) ? true : block('sg_format formats the drive');
    case 'mdadm':
      if (texts.some((t) => t === '--zero-superblock' || t === '--create' || t === '-C')) return block('mdadm overwrites RAID metadata');
      return true;
    case 'cryptsetup':
      if (['luksFormat', 'erase', 'luksErase', 'luksKillSlot', 'reencrypt'].some((s) => texts.includes(s)))
        return block('cryptsetup destroys the volume keys');
      return true;
    case 'zpool':
      if (['destroy', 'labelclear'].includes(texts[0] ?? '')) return block(`zpool ${texts[0]}`);
      return true;
    case 'zfs':
      if (texts[0] === 'destroy') return block('zfs destroy');
      return true;
    case 'lvremove':
    case 'vgremove':
    case 'pvremove':
      return onlyHelp(cmd) ? true : block(`${name} destroys a volume`);
    case 'mount': {
      const scan = scanOptions(args, MOUNT_OPTIONS);
      const all = scan.items.flatMap((it) => (it.name === '-o' || it.name === '--options' ? [staticText(it.value) ?? ''] : [])).join(',');
      if (/remount/.test(all) && /(^|,)rw(,|$)/.test(all)) {
        const points = argTexts(scan.operands).filter((t) => t.startsWith('/'));
        if (points.length === 0 || points.some((p) => ['/', '/boot', '/usr', '/etc'].includes(normalizeAbs(p)))) {
          return block('remounts a system filesystem read-write');
        }
      }
      return true;
    }
    default:
      return false;
  }
}
