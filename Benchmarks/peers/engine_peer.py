"""The PyTorch side of the engine benchmark: DeepSpeaker ResCNN and the seed's SE-ResNet on
299×40×1 inputs, one softmax training step (forward, backward, SGD update) and one inference pass,
on CPU with the given thread count. Prints the same key=value line as speakerlab-benchmarks."""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def same_pad(x, k, s):
    pads = []
    for size in (x.shape[3], x.shape[2]):
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


class Unit(nn.Module):
    def __init__(self, cin, cout, k, s=1):
        super().__init__()
        self.k, self.s = k, s
        self.conv = nn.Conv2d(cin, cout, k, s)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)

    def forward(self, x):
        return self.bn(self.conv(same_pad(x, self.k, self.s)))


class DeepSpeaker(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList()
        cin = 1
        for f in (64, 128, 256, 512):
            self.stages.append(nn.ModuleList([Unit(cin, f, 5, 2)] + [Unit(f, f, 3) for _ in range(6)]))
            cin = f
        self.fc = nn.Linear(512, 512)
        self.bn = nn.BatchNorm1d(512, eps=1e-3, momentum=0.01)

    def forward(self, x):
        for stage in self.stages:
            x = torch.clamp(stage[0](x), 0, 20)
            for i in range(3):
                y = torch.clamp(stage[1 + 2 * i](x), 0, 20)
                x = torch.clamp(stage[2 + 2 * i](y) + x, 0, 20)
        return torch.relu(self.bn(self.fc(x.mean(dim=(2, 3)))))


class SEResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Unit(1, 64, 3)
        self.blocks = nn.ModuleList()
        cin = 64
        for outdim in (256, 256, 512):
            block = nn.Module()
            block.shortcut = nn.Sequential(nn.Conv2d(cin, outdim, 1, 2), nn.BatchNorm2d(outdim, eps=1e-3, momentum=0.01))
            units = []
            c = cin
            for i in range(2):
                units += [Unit(c, outdim // 4, 1, 2 if i == 0 else 1), Unit(outdim // 4, outdim // 4, 3), Unit(outdim // 4, outdim, 1)]
                c = outdim
            block.units = nn.ModuleList(units)
            block.se1, block.se2 = nn.Linear(outdim, outdim // 8), nn.Linear(outdim // 8, outdim)
            self.blocks.append(block)
            cin = outdim
        self.fc = nn.Linear(512, 512)
        self.bn = nn.BatchNorm1d(512, eps=1e-3, momentum=0.01)

    def forward(self, x):
        x = F.max_pool2d(same_pad(F.elu(self.stem(x)), 2, 2), 2, 2)
        for block in self.blocks:
            shortcut = block.shortcut(x)
            y = x
            for i in range(2):
                if i > 0:
                    y = F.dropout(y, 0.1, self.training)
                a, b, c = block.units[3 * i: 3 * i + 3]
                y = c(F.elu(b(F.elu(a(y)))))
            s = torch.sigmoid(block.se2(torch.relu(block.se1(y.mean(dim=(2, 3))))))
            x = F.elu(shortcut + y * s[:, :, None, None])
        return F.elu(self.bn(self.fc(x.mean(dim=(2, 3)))))


def main():
    model_name, batch, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = DeepSpeaker() if model_name == "deepspeaker" else SEResNet()
    head = nn.Linear(512, 462)
    model = model.to(memory_format=torch.channels_last)
    parameters = list(model.parameters()) + list(head.parameters())
    optimizer = torch.optim.SGD(parameters, lr=0.01, momentum=0.9)
    x = torch.randn(batch, 1, 299, 40).to(memory_format=torch.channels_last)
    labels = torch.arange(batch) % 462

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(head(model(x)), labels)
        loss.backward()
        optimizer.step()

    def median_seconds(body):
        # The median step: robust to another process taking the cores for a moment.
        times = []
        for _ in range(steps):
            start = time.perf_counter()
            body()
            times.append(time.perf_counter() - start)
        return sorted(times)[len(times) // 2]

    model.train()
    step()
    train = median_seconds(step)
    model.eval()
    with torch.no_grad():
        model(x)
        infer = median_seconds(lambda: model(x))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"train_samples_per_second={batch / train:.2f} infer_samples_per_second={batch / infer:.2f} peak_mib={peak:.0f}")


if __name__ == "__main__":
    main()
